#include "sw/cli/batch_runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

#include "sw/runtime/layer_report.h"

namespace npu::cli {

int default_thread_count() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

BatchResult run_batch(const model::Network& net, const InputSet& inputs, BackendKind backend,
                      int threads, const ProgressFn& progress, const BackendSetup& setup) {
  using Clock = std::chrono::steady_clock;
  const std::size_t total = inputs.size();
  BatchResult result;
  result.outputs.resize(total);
  const std::size_t wanted = threads > 0 ? static_cast<std::size_t>(threads)
                                         : static_cast<std::size_t>(default_thread_count());
  result.threads = static_cast<int>(std::max<std::size_t>(1, std::min(wanted, total)));

  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable wake;
  std::size_t done = 0;        // guarded by mutex
  std::size_t running = 0;     // guarded by mutex
  std::exception_ptr failure;  // guarded by mutex

  auto worker = [&] {
    try {
      const std::unique_ptr<Backend> engine = make_backend(backend, net, setup);
      for (;;) {
        if (stop.load()) break;
        const std::size_t i = next.fetch_add(1);
        if (i >= total) break;
        result.outputs[i] = engine->infer(inputs.input(i));
        const std::lock_guard<std::mutex> lock(mutex);
        ++done;
      }
      const std::vector<runtime::LayerStats> stats = engine->layer_stats();
      const std::lock_guard<std::mutex> lock(mutex);
      if (result.layers.empty()) {
        result.layers = stats;
      } else {
        for (std::size_t l = 0; l < stats.size(); ++l)
          runtime::accumulate(result.layers[l], stats[l]);
      }
    } catch (...) {
      const std::lock_guard<std::mutex> lock(mutex);
      if (!failure) failure = std::current_exception();
      stop = true;
    }
    const std::lock_guard<std::mutex> lock(mutex);
    --running;
    wake.notify_all();
  };

  const Clock::time_point start = Clock::now();
  auto elapsed = [&start] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  std::vector<std::thread> pool;
  running = static_cast<std::size_t>(result.threads);
  for (int t = 0; t < result.threads; ++t) {
    try {
      pool.emplace_back(worker);
    } catch (...) {  // could not start a thread: the ones running stop at their next image
      const std::lock_guard<std::mutex> lock(mutex);
      running -= static_cast<std::size_t>(result.threads - t);
      if (!failure) failure = std::current_exception();
      stop = true;
      break;
    }
  }
  {
    std::unique_lock<std::mutex> lock(mutex);
    while (running > 0) {
      wake.wait_for(lock, std::chrono::milliseconds(200));
      if (progress && !failure) {
        const std::size_t now_done = done;
        lock.unlock();
        progress(now_done, total, elapsed());
        lock.lock();
      }
    }
  }
  for (std::thread& t : pool) t.join();
  result.seconds = elapsed();
  if (failure) std::rethrow_exception(failure);
  if (progress) progress(total, total, result.seconds);
  return result;
}

}  // namespace npu::cli
