#include "ca/base/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

namespace homeca {
namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

Status ErrnoStatus(const std::string& what, const std::filesystem::path& path) {
  return Status::Io(what + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

Status WriteFileAtomic(const std::filesystem::path& path, std::string_view data, mode_t mode) {
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  std::string tmpl = (dir / ("." + path.filename().string() + ".tmpXXXXXX")).string();
  // mkstemp creates the file 0600; fchmod below only ever narrows or sets the
  // requested mode before any data is written.
  Fd fd(::mkstemp(tmpl.data()));
  if (fd.get() < 0) return ErrnoStatus("cannot create a temporary file for", path);
  const std::filesystem::path tmp_path = tmpl;
  auto fail = [&](const std::string& what) {
    Status s = ErrnoStatus(what, path);
    ::unlink(tmp_path.c_str());
    return s;
  };
  if (::fchmod(fd.get(), mode) != 0) return fail("cannot set the mode of");
  std::size_t written = 0;
  while (written < data.size()) {
    ssize_t n = ::write(fd.get(), data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("cannot write");
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return fail("cannot sync");
  if (::close(fd.release()) != 0) return fail("cannot close");
  if (::rename(tmp_path.c_str(), path.c_str()) != 0) return fail("cannot rename into place");
  Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() < 0 || ::fsync(dir_fd.get()) != 0) {
    return ErrnoStatus("cannot sync the directory of", path);
  }
  return Status::Ok();
}

Result<std::string> ReadFile(const std::filesystem::path& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return Status::NotFound("no such file: " + path.string());
    return Status::Io("cannot open " + path.string() + ": " + std::strerror(errno));
  }
  std::string data;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    data.append(buf, static_cast<std::size_t>(in.gcount()));
    if (data.size() > max_bytes) {
      return Status::InvalidArgument(path.string() + " is larger than " +
                                     std::to_string(max_bytes) + " bytes");
    }
  }
  if (in.bad()) return Status::Io("cannot read " + path.string());
  return data;
}

Status EnsureDirectory(const std::filesystem::path& dir, mode_t mode) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return Status::Ok();
  if (!dir.parent_path().empty() && dir.parent_path() != dir) {
    HOMECA_RETURN_IF_ERROR(EnsureDirectory(dir.parent_path(), 0755));
  }
  if (::mkdir(dir.c_str(), mode) != 0 && errno != EEXIST) {
    return ErrnoStatus("cannot create directory", dir);
  }
  return Status::Ok();
}

}  // namespace homeca
