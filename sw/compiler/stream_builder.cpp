#include "sw/compiler/stream_builder.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace npu::compiler {

std::vector<CmdWords> build_stream(const std::vector<JobStep>& jobs) {
  const int n = static_cast<int>(jobs.size());
  std::vector<bool> compute_pushes(n, false), store_pushes(n, false);
  std::vector<std::vector<LoadStep>> ordered(n);
  std::vector<std::vector<bool>> load_pops(n);
  int waited = -1;  // the latest compute a load has already waited for
  for (int i = 0; i < n; ++i) {
    ordered[i] = jobs[i].loads;
    std::stable_sort(
        ordered[i].begin(), ordered[i].end(),
        [](const LoadStep& a, const LoadStep& b) { return a.last_reader < b.last_reader; });
    for (const LoadStep& l : ordered[i]) {
      if (l.last_reader >= i) {
        throw std::logic_error("build_stream: job " + std::to_string(i) +
                               " loads over a buffer read by a later job " +
                               std::to_string(l.last_reader));
      }
      const bool pop = l.last_reader > waited;
      load_pops[i].push_back(pop);
      if (pop) {
        compute_pushes[l.last_reader] = true;
        waited = l.last_reader;
      }
    }
    const int prev = jobs[i].out_prev_job;
    if (prev >= i) throw std::logic_error("build_stream: output region dependency points forward");
    if (prev >= 0) {
      if (store_pushes[prev]) throw std::logic_error("build_stream: two jobs wait for one store");
      store_pushes[prev] = true;
    }
  }
  std::vector<CmdWords> s;
  for (int i = 0; i < n; ++i) {
    const auto& loads = ordered[i];
    for (size_t k = 0; k < loads.size(); ++k) {
      Deps d;
      d.pop_next = load_pops[i][k];
      d.push_next = k + 1 == loads.size();
      s.push_back(encode_load(loads[k].dma, d));
    }
    Deps c;
    c.pop_prev = !loads.empty();
    c.pop_next = jobs[i].out_prev_job >= 0;
    c.push_prev = compute_pushes[i];
    c.push_next = true;
    s.push_back(encode_compute(jobs[i].compute, c));
    Deps st;
    st.pop_prev = true;
    st.push_prev = store_pushes[i];
    s.push_back(encode_store(jobs[i].store, st));
  }
  s.push_back(encode_end());
  return s;
}

}  // namespace npu::compiler
