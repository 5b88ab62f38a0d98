#include "ca/cli/passphrase.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <iostream>

#include "ca/base/encoding.h"
#include "ca/base/file_util.h"
#include "ca/cli/no_echo.h"

namespace homeca::cli {
namespace {

constexpr std::size_t kMaxPassphraseBytes = 1024;

// The first line of `text`, without its line ending.
std::string FirstLine(std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  Cleanse(text);
  return line;
}

Result<std::string> ReadFd(int fd) {
  std::string text;
  char buf[256];
  while (text.size() <= kMaxPassphraseBytes) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return Status::Io("cannot read the passphrase from descriptor " + std::to_string(fd));
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  std::fill(std::begin(buf), std::end(buf), '\0');
  return FirstLine(text);
}

Result<std::string> Ask(const std::string& prompt) {
  std::string line;
  std::cerr << prompt << std::flush;
  {
    NoEcho quiet;
    std::getline(std::cin, line);
  }
  std::cerr << "\n";
  if (!std::cin && line.empty()) return Status::InvalidArgument("no passphrase given");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

OptionSpec PassphraseFileOption(const std::string& prefix, const std::string& what) {
  return {prefix + "passphrase-file", "FILE", "read " + what + " from the first line of FILE"};
}

OptionSpec PassphraseFdOption(const std::string& prefix, const std::string& what) {
  return {prefix + "passphrase-fd", "N", "read " + what + " from file descriptor N (scripts)"};
}

Result<std::string> ReadPassphrase(const ParsedArgs& args, const std::string& prefix,
                                   const std::string& prompt, bool confirm) {
  if (auto file = args.Get(prefix + "passphrase-file")) {
    auto text = ReadFile(*file, kMaxPassphraseBytes);
    if (!text.ok()) return text.status();
    return FirstLine(*text);
  }
  if (auto fd_text = args.Get(prefix + "passphrase-fd")) {
    auto fd = ParseInt("--" + prefix + "passphrase-fd", *fd_text, 0, 1 << 20);
    if (!fd.ok()) return fd.status();
    return ReadFd(*fd);
  }
  if (isatty(STDIN_FILENO) != 1) {
    return Status::InvalidArgument("no terminal to ask for the passphrase on; give --" + prefix +
                                   "passphrase-file FILE or --" + prefix + "passphrase-fd N");
  }
  auto first = Ask(prompt + ": ");
  if (!first.ok() || !confirm) return first;
  auto again = Ask("Repeat it: ");
  if (!again.ok()) {
    Cleanse(*first);
    return again.status();
  }
  const bool same = *again == *first;
  Cleanse(*again);
  if (!same) {
    Cleanse(*first);
    return Status::InvalidArgument("the two passphrases differ; nothing was done");
  }
  return first;
}

}  // namespace homeca::cli
