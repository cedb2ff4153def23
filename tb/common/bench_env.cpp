#include "tb/common/bench_env.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <random>
#include <stdexcept>

namespace npu::tb {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

// FNV-1a: stable across compilers and runs, unlike std::hash.
uint64_t fnv1a(const std::string& text) {
  uint64_t h = 1469598103934665603ULL;
  for (const unsigned char ch : text) {
    h ^= ch;
    h *= 1099511628211ULL;
  }
  return h;
}

uint64_t parse_u64(const std::string& text, const char* variable) {
  std::size_t used = 0;
  uint64_t value = 0;
  try {
    value = std::stoull(text, &used, 0);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size()) {
    throw std::invalid_argument(std::string(variable) + ": '" + text +
                                "' is not an unsigned number");
  }
  return value;
}

}  // namespace

std::string current_test_name() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) return "";
  return std::string(info->test_suite_name()) + "." + info->name();
}

uint64_t test_seed() {
  const std::string name = current_test_name();
  const std::string given = env("NPU_SEED");
  uint64_t seed = 0;
  if (given.empty()) {
    seed = fnv1a(name) & 0xffffffffULL;  // short enough to type back
  } else if (given == "random") {
    seed = std::random_device{}();
  } else {
    seed = parse_u64(given, "NPU_SEED");
  }
  std::cout << "[ seed     ] " << name << ": NPU_SEED=" << seed
            << " reproduces this run (with --gtest_filter=" << name << ")" << std::endl;
  ::testing::Test::RecordProperty("seed", std::to_string(seed));
  return seed;
}

TraceOptions trace_options_from_env() {
  TraceOptions options;
  options.file = env("NPU_TRACE");
  const auto placeholder = options.file.find("%t");
  if (placeholder != std::string::npos) {
    std::string test = current_test_name();
    for (char& ch : test) {
      if (ch == '/' || ch == ' ') ch = '_';
    }
    options.file.replace(placeholder, 2, test.empty() ? "bench" : test);
  }
  options.scope = env("NPU_TRACE_SCOPE");
  if (!options.scope.empty() && options.scope.rfind("TOP", 0) != 0) {
    options.scope = "TOP." + options.scope;
  }
  const std::string window = env("NPU_TRACE_WINDOW");
  if (!window.empty()) {
    const auto colon = window.find(':');
    if (colon == std::string::npos) {
      throw std::invalid_argument("NPU_TRACE_WINDOW: '" + window +
                                  "' must be <first>:<last> (cycles, either may be empty)");
    }
    const std::string first = window.substr(0, colon);
    const std::string last = window.substr(colon + 1);
    if (!first.empty()) options.first_cycle = parse_u64(first, "NPU_TRACE_WINDOW");
    if (!last.empty()) options.last_cycle = parse_u64(last, "NPU_TRACE_WINDOW");
    if (options.last_cycle < options.first_cycle) {
      throw std::invalid_argument("NPU_TRACE_WINDOW: '" + window + "' ends before it starts");
    }
  }
  return options;
}

}  // namespace npu::tb
