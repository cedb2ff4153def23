#include "tb/pool/pool_cases.h"

#include <fstream>
#include <iomanip>
#include <stdexcept>
#include <utility>

namespace npu::tb {

golden::Tensor random_tensor(std::mt19937_64& rng, int h, int w, int c, int zero_point, int lo,
                             int hi) {
  golden::Tensor t(golden::Shape{1, h, w, c}, golden::QuantParams{0.05f, zero_point});
  std::uniform_int_distribution<int> value(lo, hi);
  for (auto& v : t.data) v = static_cast<int8_t>(value(rng));
  return t;
}

PoolJob make_job(PoolMode mode, golden::Tensor input, golden::ConvGeometry geom, int lanes,
                 uint32_t base) {
  PoolJob job;
  job.mode = mode;
  job.input = std::move(input);
  job.geom = geom;
  job.lanes = lanes;
  job.in_base = base;
  return job;
}

golden::ConvGeometry geometry(int k_h, int k_w, int stride, int pad_top, int pad_left,
                              int pad_bottom, int pad_right) {
  golden::ConvGeometry g;
  g.kernel_h = k_h;
  g.kernel_w = k_w;
  g.stride_h = g.stride_w = stride;
  g.pad_top = pad_top;
  g.pad_left = pad_left;
  g.pad_bottom = pad_bottom;
  g.pad_right = pad_right;
  return g;
}

std::vector<NamedJob> exported_cases(int lanes) {
  std::mt19937_64 rng(20240601);  // fixed: the vectors are part of the test definition
  std::vector<NamedJob> cases;
  cases.push_back(
      {"max3x3s2p1", make_job(PoolMode::kMax, random_tensor(rng, 9, 10, 2 * lanes, -3, -128, 127),
                              geometry(3, 2, 1), lanes, 0x40)});
  cases.push_back(
      {"avg2x3s1p1", make_job(PoolMode::kAvg, random_tensor(rng, 6, 7, 2 * lanes, 5, 1, 9),
                              geometry(2, 3, 1, 1, 1, 1, 1), lanes, 0x21)});
  return cases;
}

namespace {

std::ofstream open_out(const std::string& path) {
  std::ofstream f(path);
  if (!f) throw std::runtime_error("cannot write " + path);
  f << std::hex << std::setfill('0');
  return f;
}

void write_word(std::ostream& f, const std::vector<int8_t>& lanes_low_first) {
  for (auto it = lanes_low_first.rbegin(); it != lanes_low_first.rend(); ++it) {
    f << std::setw(2) << static_cast<unsigned>(static_cast<uint8_t>(*it));
  }
  f << '\n';
}

}  // namespace

void export_vectors(const NamedJob& c, const std::string& dir) {
  const PoolJob& job = c.job;
  const PoolConfig cfg = pool_config(job);
  const golden::Tensor expected = pool_expected(job);
  const int lanes = job.lanes;
  const golden::Shape& s = job.input.shape;
  const golden::Shape& o = expected.shape;

  const std::string prefix = dir + "/" + c.name;
  {
    std::ofstream f = open_out(prefix + "_cfg.hex");
    for (uint32_t v : {cfg.mode, cfg.in_h, cfg.in_w, cfg.groups, cfg.in_base, cfg.pix_stride,
                       cfg.row_stride, cfg.kernel_h, cfg.kernel_w, cfg.stride_h, cfg.stride_w,
                       cfg.pad_top, cfg.pad_left, cfg.pad_bottom, cfg.pad_right, cfg.in_zp}) {
      f << std::setw(8) << v << '\n';
    }
    f << std::setw(8) << static_cast<uint32_t>(o.h * o.w * job.groups()) << '\n';
    f << std::setw(8) << static_cast<uint32_t>(o.w) << '\n';
    f << std::setw(8) << job.word_address(s.h - 1, s.w - 1, job.groups() - 1) + 1 << '\n';
    if (!f) throw std::runtime_error("error writing " + prefix + "_cfg.hex");
  }
  {
    // Words that hold no input pixel get a recognisable filler (0x5a bytes).
    const uint32_t last = job.word_address(s.h - 1, s.w - 1, job.groups() - 1);
    std::vector<std::vector<int8_t>> mem(last + 1, std::vector<int8_t>(lanes, 0x5a));
    for (int y = 0; y < s.h; ++y) {
      for (int x = 0; x < s.w; ++x) {
        for (int g = 0; g < job.groups(); ++g) {
          for (int l = 0; l < lanes; ++l) {
            mem[job.word_address(y, x, g)][l] = job.input.at(0, y, x, g * lanes + l);
          }
        }
      }
    }
    std::ofstream f = open_out(prefix + "_mem.hex");
    for (const auto& word : mem) write_word(f, word);
    if (!f) throw std::runtime_error("error writing " + prefix + "_mem.hex");
  }
  {
    std::ofstream f = open_out(prefix + "_exp.hex");
    for (int y = 0; y < o.h; ++y) {
      for (int x = 0; x < o.w; ++x) {
        for (int g = 0; g < job.groups(); ++g) {
          std::vector<int8_t> word(lanes);
          for (int l = 0; l < lanes; ++l) word[l] = expected.at(0, y, x, g * lanes + l);
          write_word(f, word);
        }
      }
    }
    if (!f) throw std::runtime_error("error writing " + prefix + "_exp.hex");
  }
}

}  // namespace npu::tb
