// The shared bench helpers themselves: environment parsing, seeds, mismatch reports, the
// watchdog and port bit access.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "tb/common/bench_env.h"
#include "tb/common/mismatch.h"
#include "tb/common/port_bits.h"
#include "tb/common/watchdog.h"

namespace npu::tb {
namespace {

// Sets an environment variable for one scope, restoring the previous state afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    const char* old = std::getenv(name);
    had_ = old != nullptr;
    if (had_) old_ = old;
    if (value == nullptr) {
      unsetenv(name);
    } else {
      setenv(name, value, 1);
    }
  }
  ~ScopedEnv() {
    if (had_) {
      setenv(name_.c_str(), old_.c_str(), 1);
    } else {
      unsetenv(name_.c_str());
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_, old_;
  bool had_ = false;
};

TEST(BenchEnv, TracingIsOffByDefault) {
  ScopedEnv trace("NPU_TRACE", nullptr), scope("NPU_TRACE_SCOPE", nullptr),
      window("NPU_TRACE_WINDOW", nullptr);
  const TraceOptions o = trace_options_from_env();
  EXPECT_FALSE(o.enabled());
  EXPECT_TRUE(o.in_window(0));
  EXPECT_TRUE(o.in_window(UINT64_MAX));
}

TEST(BenchEnv, TraceFileScopeAndWindow) {
  ScopedEnv trace("NPU_TRACE", "/tmp/%t.fst"), scope("NPU_TRACE_SCOPE", "npu_pool.u_sum"),
      window("NPU_TRACE_WINDOW", "100:250");
  const TraceOptions o = trace_options_from_env();
  EXPECT_EQ(o.file, "/tmp/BenchEnv.TraceFileScopeAndWindow.fst");
  EXPECT_EQ(o.scope, "TOP.npu_pool.u_sum");
  EXPECT_FALSE(o.in_window(99));
  EXPECT_TRUE(o.in_window(100));
  EXPECT_TRUE(o.in_window(250));
  EXPECT_FALSE(o.in_window(251));
}

TEST(BenchEnv, OpenEndedWindows) {
  ScopedEnv trace("NPU_TRACE", "x.fst");
  {
    ScopedEnv window("NPU_TRACE_WINDOW", "1000:");
    const TraceOptions o = trace_options_from_env();
    EXPECT_EQ(o.first_cycle, 1000u);
    EXPECT_EQ(o.last_cycle, UINT64_MAX);
  }
  {
    ScopedEnv window("NPU_TRACE_WINDOW", ":20");
    const TraceOptions o = trace_options_from_env();
    EXPECT_EQ(o.first_cycle, 0u);
    EXPECT_EQ(o.last_cycle, 20u);
  }
}

TEST(BenchEnv, BadWindowNamesTheVariable) {
  for (const char* bad : {"100", "a:b", "20:10", "5:x"}) {
    ScopedEnv window("NPU_TRACE_WINDOW", bad);
    try {
      trace_options_from_env();
      ADD_FAILURE() << "accepted NPU_TRACE_WINDOW=" << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("NPU_TRACE_WINDOW"), std::string::npos) << e.what();
    }
  }
}

TEST(BenchEnv, SeedFromEnvironment) {
  ScopedEnv seed("NPU_SEED", "12345");
  EXPECT_EQ(test_seed(), 12345u);
}

TEST(BenchEnv, DefaultSeedIsStablePerTest) {
  ScopedEnv seed("NPU_SEED", nullptr);
  const uint64_t a = test_seed();
  EXPECT_EQ(a, test_seed());
  EXPECT_LE(a, 0xffffffffULL);
}

TEST(BenchEnv, BadSeedNamesTheVariable) {
  ScopedEnv seed("NPU_SEED", "12x");
  EXPECT_THROW(test_seed(), std::invalid_argument);
}

TEST(Mismatch, ReportsBlockIndexExpectedAndActual) {
  EXPECT_NONFATAL_FAILURE(
      {
        MismatchReporter m("pool");
        EXPECT_TRUE(m.check("pixel 3", 7, 7));
        EXPECT_FALSE(m.check("pixel 4", int8_t{-5}, int8_t{6}));
        EXPECT_EQ(m.mismatches(), 1);
      },
      "[pool] mismatch at pixel 4: expected -5, actual 6");
}

TEST(Mismatch, CountsBeyondTheReportLimit) {
  ::testing::TestPartResultArray results;
  {
    ::testing::ScopedFakeTestPartResultReporter capture(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
    MismatchReporter m("ppu", 2);
    for (int i = 0; i < 5; ++i) m.check("i " + std::to_string(i), 0, 1);
  }
  ASSERT_EQ(results.size(), 3);  // two reported in full, one summary
  EXPECT_NE(std::string(results.GetTestPartResult(1).message()).find("mismatch at i 1"),
            std::string::npos);
  EXPECT_NE(std::string(results.GetTestPartResult(2).message())
                .find("5 mismatches in total, 3 not shown"),
            std::string::npos);
}

TEST(Watchdog, FiresAfterTheLimitNamingBlockAndCycle) {
  Watchdog w("ppu", 10);
  w.progress(5);
  EXPECT_NO_THROW(w.check(15));
  try {
    w.check(16);
    FAIL() << "no timeout";
  } catch (const WatchdogTimeout& e) {
    EXPECT_STREQ(e.what(),
                 "watchdog: block 'ppu' made no progress for 10 cycles (last progress at "
                 "cycle 5, now cycle 16)");
  }
}

TEST(PortBits, IntegerPorts) {
  uint32_t port = 0;
  set_bits(port, 8, 8, 0xab);
  set_bits(port, 0, 8, 0xff);
  EXPECT_EQ(port, 0xabffu);
  EXPECT_EQ(get_bits(port, 8, 8), 0xabu);
  EXPECT_EQ(get_signed(port, 0, 8), -1);
  uint64_t wide = 0;
  set_bits(wide, 60, 4, 0x9);
  EXPECT_EQ(wide, 0x9000000000000000ULL);
  EXPECT_EQ(get_signed(wide, 60, 4), -7);
}

TEST(PortBits, WidePortsAcrossWordBoundaries) {
  VlWide<3> port{};
  set_bits(port, 28, 8, 0x5a);  // straddles words 0 and 1
  EXPECT_EQ(port.at(0), 0xa0000000u);
  EXPECT_EQ(port.at(1), 0x5u);
  EXPECT_EQ(get_bits(port, 28, 8), 0x5au);
  set_bits(port, 64, 32, 0x80000001u);
  EXPECT_EQ(get_signed(port, 64, 32), static_cast<int32_t>(0x80000001u));
  set_bits(port, 28, 8, 0);
  EXPECT_EQ(port.at(0), 0u);
  EXPECT_EQ(port.at(1), 0u);
}

}  // namespace
}  // namespace npu::tb
