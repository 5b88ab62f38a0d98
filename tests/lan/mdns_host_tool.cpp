// mdns_host_tool: Mdns::PublishHost and Mdns::WatchHost on the real Avahi
// implementation, driven line by line for tests/lan/host_names_test.sh.
//
//   mdns_host_tool --watch nas.local --commands FIFO
//
// Commands (one per line, read from FIFO):
//   publish HOST ADDR...   replace the publication (the old one is destroyed
//                          first: goodbye packets) with HOST -> ADDR...
//   withdraw               destroy the publication
//   quit
// Output (stdout, one line per event, flushed):
//   <ms> log <line>                      the implementation's log
//   <ms> sighting HOST ours=A,B others=C truncated=0|1
//   <ms> state HOST registering|established|collision   (on every change)
//   <ms> ok <command> / <ms> error <command>
// <ms> is milliseconds since the epoch, for the timings the test prints.
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "mdns/avahi_mdns.h"

namespace {

using namespace homeca::mdns;

std::mutex g_out_mu;

void Say(const std::string& line) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  std::lock_guard<std::mutex> lock(g_out_mu);
  std::printf("%lld %s\n", static_cast<long long>(ms), line.c_str());
  std::fflush(stdout);
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

int Usage() {
  std::fprintf(stderr, "usage: mdns_host_tool --watch HOST --commands FIFO\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string watch_host, commands;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--watch") {
      watch_host = argv[i + 1];
    } else if (flag == "--commands") {
      commands = argv[i + 1];
    } else {
      return Usage();
    }
  }
  if (watch_host.empty() || commands.empty() || argc % 2 == 0) return Usage();
  // Read-write: opening never blocks on a FIFO and never sees end-of-file
  // while the test is between commands.
  const int fd = open(commands.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    std::perror("mdns_host_tool: cannot open the command FIFO");
    return 1;
  }

  auto mdns = StartAvahiMdns({.log = [](const std::string& line) { Say("log " + line); }});
  if (!mdns.ok()) {
    std::fprintf(stderr, "mdns_host_tool: %s\n", mdns.status().message().c_str());
    return 1;
  }
  auto watch = (*mdns)->WatchHost(watch_host, [](const HostSighting& s) {
    Say("sighting " + s.host + " ours=" + Join(s.ours) + " others=" + Join(s.others) +
        " truncated=" + (s.truncated ? "1" : "0"));
  });
  if (!watch) {
    std::fprintf(stderr, "mdns_host_tool: invalid host name to watch\n");
    return 2;
  }

  std::unique_ptr<HostPublication> publication;
  std::string published_host;
  // The state last printed; empty when none was (GCC 12 warns wrongly on a
  // std::optional compared here).
  std::string last_state;
  std::string pending;
  for (;;) {
    if (publication && HostPublicationStateName(publication->State()) != last_state) {
      last_state = HostPublicationStateName(publication->State());
      Say("state " + published_host + " " + last_state);
    }
    pollfd pfd{fd, POLLIN, 0};
    if (poll(&pfd, 1, 20) <= 0) continue;
    char buffer[512];
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) continue;
    pending.append(buffer, static_cast<std::size_t>(n));
    for (std::size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
      const std::string line = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      std::istringstream in(line);
      std::string command;
      in >> command;
      if (command == "quit") {
        Say("ok quit");
        return 0;
      }
      if (command == "withdraw") {
        publication.reset();
        last_state.clear();
        Say("ok withdraw");
      } else if (command == "publish") {
        std::string host, address;
        std::vector<std::string> addresses;
        in >> host;
        while (in >> address) addresses.push_back(address);
        publication.reset();  // goodbye to the old addresses first
        last_state.clear();
        publication = (*mdns)->PublishHost(host, addresses);
        published_host = host;
        Say(publication ? "ok publish" : "error publish");
      } else {
        Say("error " + command);
      }
    }
  }
}
