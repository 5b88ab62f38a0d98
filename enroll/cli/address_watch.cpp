#include "enroll/cli/address_watch.h"

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace homeca::enroll_cli {
namespace {

// Room for a burst of notifications (each is well under 100 bytes).
constexpr std::size_t kReceiveBuffer = 16 * 1024;

Status Errno(const std::string& what) { return Status::Io(what + ": " + std::strerror(errno)); }

// The text of one RTM_NEWADDR message, or "" for an address that does not
// count (see CurrentAddresses).
std::string AddressOf(const nlmsghdr* message) {
  const auto* info = static_cast<const ifaddrmsg*>(NLMSG_DATA(message));
  if (info->ifa_scope == RT_SCOPE_HOST) return "";
  std::uint32_t flags = info->ifa_flags;
  const void* local = nullptr;
  const void* address = nullptr;
  int length = static_cast<int>(IFA_PAYLOAD(message));
  for (const rtattr* attr = IFA_RTA(info); RTA_OK(attr, length); attr = RTA_NEXT(attr, length)) {
    const std::size_t size = RTA_PAYLOAD(attr);
    if (attr->rta_type == IFA_LOCAL) local = RTA_DATA(attr);
    if (attr->rta_type == IFA_ADDRESS) address = RTA_DATA(attr);
    // The 32-bit flags, where the kernel has more than fit in ifa_flags.
    if (attr->rta_type == IFA_FLAGS && size >= sizeof(std::uint32_t)) {
      std::memcpy(&flags, RTA_DATA(attr), sizeof flags);
    }
    const std::size_t want = info->ifa_family == AF_INET ? 4 : 16;
    if ((attr->rta_type == IFA_LOCAL || attr->rta_type == IFA_ADDRESS) && size < want) return "";
  }
  if ((flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED)) != 0) return "";
  // IPv4: IFA_LOCAL is this host's address (IFA_ADDRESS is the peer's on a
  // point-to-point link). IPv6 has IFA_ADDRESS only, unless point-to-point.
  const void* ours = local != nullptr ? local : address;
  if (ours == nullptr || (info->ifa_family != AF_INET && info->ifa_family != AF_INET6)) return "";
  char text[INET6_ADDRSTRLEN] = {};
  if (inet_ntop(info->ifa_family, ours, text, sizeof text) == nullptr) return "";
  return std::to_string(info->ifa_index) + " " + text;
}

}  // namespace

Result<AddressWatch> AddressWatch::Open() {
  UniqueFd fd(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE));
  if (!fd.valid()) return Errno("cannot open a netlink socket to watch addresses");
  sockaddr_nl local{};
  local.nl_family = AF_NETLINK;
  local.nl_groups = RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR;
  if (bind(fd.get(), reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
    return Errno("cannot subscribe to address changes");
  }
  return AddressWatch(std::move(fd));
}

bool AddressWatch::Drain() {
  alignas(nlmsghdr) char buffer[kReceiveBuffer];
  bool changed = false;
  for (;;) {
    sockaddr_nl from{};
    socklen_t from_size = sizeof from;
    const ssize_t got = recvfrom(fd_.get(), buffer, sizeof buffer, MSG_DONTWAIT,
                                 reinterpret_cast<sockaddr*>(&from), &from_size);
    if (got < 0) {
      if (errno == EINTR) continue;
      // The kernel dropped notifications: assume the worst and look.
      if (errno == ENOBUFS) {
        changed = true;
        continue;
      }
      return changed;  // EAGAIN: drained
    }
    // Only the kernel speaks for the host's addresses; another process
    // sending to this socket could at most cause a look, but need not.
    if (from.nl_pid != 0) continue;
    int length = static_cast<int>(got);
    for (const auto* message = reinterpret_cast<const nlmsghdr*>(buffer); NLMSG_OK(message, length);
         message = NLMSG_NEXT(message, length)) {
      if (message->nlmsg_type == RTM_NEWADDR || message->nlmsg_type == RTM_DELADDR) changed = true;
    }
  }
}

Result<std::vector<std::string>> CurrentAddresses() {
  UniqueFd fd(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (!fd.valid()) return Errno("cannot open a netlink socket to list addresses");
  // A receive timeout: the kernel answers a dump at once, but a wedged
  // answer must not stop the renewal loop.
  timeval timeout{5, 0};
  (void)setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  struct {
    nlmsghdr header;
    ifaddrmsg body;
  } request{};
  request.header.nlmsg_len = NLMSG_LENGTH(sizeof(ifaddrmsg));
  request.header.nlmsg_type = RTM_GETADDR;
  request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  request.header.nlmsg_seq = 1;
  request.body.ifa_family = AF_UNSPEC;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (sendto(fd.get(), &request, request.header.nlmsg_len, 0,
             reinterpret_cast<const sockaddr*>(&kernel), sizeof kernel) < 0) {
    return Errno("cannot ask the kernel for the host's addresses");
  }
  std::vector<std::string> out;
  alignas(nlmsghdr) char buffer[kReceiveBuffer];
  for (;;) {
    const ssize_t got = recv(fd.get(), buffer, sizeof buffer, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return Errno("cannot read the host's addresses");
    int length = static_cast<int>(got);
    for (const auto* message = reinterpret_cast<const nlmsghdr*>(buffer); NLMSG_OK(message, length);
         message = NLMSG_NEXT(message, length)) {
      if (message->nlmsg_type == NLMSG_DONE) {
        std::sort(out.begin(), out.end());
        return out;
      }
      if (message->nlmsg_type == NLMSG_ERROR) {
        return Status::Io("the kernel refused to list the host's addresses");
      }
      if (message->nlmsg_type != RTM_NEWADDR ||
          message->nlmsg_len < NLMSG_LENGTH(sizeof(ifaddrmsg))) {
        continue;
      }
      if (std::string text = AddressOf(message); !text.empty()) out.push_back(std::move(text));
    }
  }
}

}  // namespace homeca::enroll_cli
