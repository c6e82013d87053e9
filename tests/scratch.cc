#include "tests/scratch.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <iostream>

namespace pl::scratch {
namespace {

std::filesystem::path Root() {
  // A folder of an earlier run whose process had the same id (kept because
  // it failed) is removed first: its files (a server's output beside its
  // data directory) would read as this run's.
  static const std::filesystem::path root = [] {
    auto r = std::filesystem::temp_directory_path() / ("pl-tests-" + std::to_string(::getpid()));
    std::error_code ec;
    std::filesystem::remove_all(r, ec);
    return r;
  }();
  return root;
}

class RemoveScratchWhenPassed : public ::testing::Environment {
 public:
  void TearDown() override {
    std::error_code ec;
    if (!std::filesystem::exists(Root(), ec)) return;
    if (::testing::UnitTest::GetInstance()->Passed())
      std::filesystem::remove_all(Root(), ec);
    else
      std::cerr << "the failed tests' folders are kept in " << Root().string() << "\n";
  }
};

[[maybe_unused]] ::testing::Environment* const kCleanup =
    ::testing::AddGlobalTestEnvironment(new RemoveScratchWhenPassed);

}  // namespace

std::string ScratchDir(const std::string& name) {
  static std::atomic<int> n{0};
  auto dir = Root() / (name + "-" + std::to_string(++n));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

}  // namespace pl::scratch
