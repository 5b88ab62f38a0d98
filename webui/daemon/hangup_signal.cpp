#include "webui/daemon/hangup_signal.h"

#include <pthread.h>
#include <signal.h>

namespace homeca::webui {
namespace {

sigset_t HangupSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

void HangupSignal::Block() {
  const sigset_t set = HangupSet();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

HangupSignal::HangupSignal(std::function<void()> on_hangup)
    : on_hangup_(std::move(on_hangup)), thread_([this] { Run(); }) {}

HangupSignal::~HangupSignal() {
  stopping_ = true;
  // A SIGHUP aimed at this thread wakes its sigwait (or waits, pending, until
  // the callback in progress returns); the flag tells it to stop.
  pthread_kill(thread_.native_handle(), SIGHUP);
  thread_.join();
}

void HangupSignal::Run() {
  const sigset_t set = HangupSet();
  for (;;) {
    int signal = 0;
    if (sigwait(&set, &signal) != 0) continue;
    if (stopping_) return;
    on_hangup_();
  }
}

}  // namespace homeca::webui
