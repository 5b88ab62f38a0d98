// Test support: running real programs (openssl, homeca, python3) as child
// processes, and temporary directories that clean up after themselves.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace homeca::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 if killed by a signal
  std::string out;
  std::string err;
};

// Runs argv[0] (searched in PATH) with `input` on its standard input and
// waits for it. Extra environment entries ("NAME=value") are added.
ProcessResult Run(const std::vector<std::string>& argv, const std::string& input = "",
                  const std::vector<std::string>& env = {});

// True if `program` is found in PATH.
bool HaveProgram(const std::string& program);

// Path of a program built by this project (from the HOMECA_BUILD_DIR define).
std::string BuiltProgram(const std::string& relative);

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

void WriteText(const std::filesystem::path& path, const std::string& text);
std::string ReadText(const std::filesystem::path& path);

}  // namespace homeca::testing
