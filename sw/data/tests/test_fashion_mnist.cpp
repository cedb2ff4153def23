#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <numeric>

#include "sw/data/data_error.h"
#include "sw/data/fashion_mnist.h"
#include "sw/data/idx_file.h"
#include "sw/data/named_dataset.h"
#include "sw/data/tests/temp_dir.h"

namespace npu::data {
namespace {

using ::testing::HasSubstr;

long pixel_sum(const Dataset& ds, std::size_t i) {
  return std::accumulate(ds.image_data(i), ds.image_data(i) + ds.image_bytes(), 0L);
}

// Expected values were read from the Debian files with zcat | od, not from this library.
TEST(FashionMnist, TestSplitMatchesTheDebianFiles) {
  const Dataset ds = load_fashion_mnist("test");
  ASSERT_EQ(ds.size(), 10000u);
  EXPECT_EQ(ds.name, "fashion-mnist-test");
  EXPECT_EQ(ds.height, 28);
  EXPECT_EQ(ds.width, 28);
  EXPECT_EQ(ds.channels, 1);
  ASSERT_EQ(ds.labels.size(), 10000u);
  EXPECT_EQ(std::vector<int>(ds.labels.begin(), ds.labels.begin() + 10),
            (std::vector<int>{9, 2, 1, 1, 6, 1, 4, 6, 5, 7}));
  EXPECT_EQ(ds.labels.back(), 5);
  ASSERT_EQ(ds.class_names.size(), 10u);
  EXPECT_EQ(ds.class_names[9], "Ankle boot");
  EXPECT_EQ(ds.class_names[0], "T-shirt/top");
  std::vector<int> per_class(10, 0);
  for (int l : ds.labels) ++per_class.at(l);
  EXPECT_EQ(per_class, std::vector<int>(10, 1000));

  const Image first = ds.image(0);
  EXPECT_EQ(first.at(0, 0, 0), 0);
  EXPECT_EQ(first.at(9, 16, 0), 88);
  EXPECT_EQ(first.at(9, 17, 0), 143);
  EXPECT_EQ(first.at(14, 12, 0), 98);
  EXPECT_EQ(first.at(15, 12, 0), 117);
  EXPECT_EQ(pixel_sum(ds, 0), 33456);
  EXPECT_EQ(pixel_sum(ds, 9999), 24390);
}

TEST(FashionMnist, TrainSplitHeader) {
  const Dataset ds = load_fashion_mnist("train");
  ASSERT_EQ(ds.size(), 60000u);
  EXPECT_EQ(std::vector<int>(ds.labels.begin(), ds.labels.begin() + 8),
            (std::vector<int>{9, 0, 0, 3, 0, 2, 7, 2}));
}

TEST(FashionMnist, UnknownSplit) {
  try {
    load_fashion_mnist("validation");
    ADD_FAILURE() << "no exception";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("'validation'"));
  }
}

TEST(FashionMnist, MissingDirectoryNamesTheFile) {
  try {
    load_fashion_mnist("/nonexistent/fmnist", "test");
    ADD_FAILURE() << "no exception";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("/nonexistent/fmnist/t10k-images-idx3-ubyte.gz"));
    EXPECT_THAT(e.what(), HasSubstr("dataset-fashion-mnist"));
  }
}

// Restores an environment variable on scope exit.
class EnvOverride {
 public:
  EnvOverride(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old, had_ = true;
    ::setenv(name, value.c_str(), 1);
  }
  ~EnvOverride() {
    if (had_) {
      ::setenv(name_, old_.c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  EnvOverride(const EnvOverride&) = delete;
  EnvOverride& operator=(const EnvOverride&) = delete;

 private:
  const char* name_;
  std::string old_;
  bool had_ = false;
};

TEST(FashionMnist, EnvironmentOverridesTheDirectory) {
  test_util::TempDir dir("fmnist_env");
  IdxImages img;
  img.count = 2;
  img.rows = img.cols = 28;
  img.pixels.assign(2 * 28 * 28, 17);
  write_idx_images(dir.file("t10k-images-idx3-ubyte.gz"), img, true);
  // Uncompressed labels: the loader falls back to the name without .gz.
  write_idx_labels(dir.file("t10k-labels-idx1-ubyte"), {3, 8}, false);
  EnvOverride env("NPU_FASHION_MNIST_DIR", dir.path().string());
  EXPECT_EQ(fashion_mnist_dir(), dir.path().string());
  const Dataset ds = load_fashion_mnist("test");
  ASSERT_EQ(ds.size(), 2u);
  EXPECT_EQ(ds.labels, (std::vector<int>{3, 8}));
  EXPECT_EQ(ds.image(1).at(27, 27, 0), 17);
}

TEST(FashionMnist, RejectsWrongImageSizeAndLabels) {
  test_util::TempDir dir("fmnist_bad");
  IdxImages img;
  img.count = 1;
  img.rows = img.cols = 32;
  img.pixels.assign(32 * 32, 0);
  write_idx_images(dir.file("t10k-images-idx3-ubyte.gz"), img, true);
  write_idx_labels(dir.file("t10k-labels-idx1-ubyte.gz"), {3}, true);
  EXPECT_THROW(load_fashion_mnist(dir.path().string(), "test"), DataError);

  img.rows = img.cols = 28;
  img.pixels.assign(28 * 28, 0);
  write_idx_images(dir.file("t10k-images-idx3-ubyte.gz"), img, true);
  write_idx_labels(dir.file("t10k-labels-idx1-ubyte.gz"), {10}, true);
  try {
    load_fashion_mnist(dir.path().string(), "test");
    ADD_FAILURE() << "no exception";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("label 0 is 10"));
  }
}

TEST(NamedDataset, KnownAndUnknownNames) {
  EXPECT_EQ(load_named_dataset("fashion-mnist-test").size(), 10000u);
  try {
    load_named_dataset("mnist");
    ADD_FAILURE() << "no exception";
  } catch (const DataError& e) {
    EXPECT_THAT(e.what(), HasSubstr("unknown dataset 'mnist'"));
    EXPECT_THAT(e.what(), HasSubstr("fashion-mnist-train"));
  }
}

}  // namespace
}  // namespace npu::data
