#include "ca/base/termination_signals.h"

#include <pthread.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

namespace homeca {
namespace {

using std::chrono::milliseconds;

// Blocks the termination signals (and SIGHUP) for one test, then restores
// the mask, with nothing left pending.
class Blocked {
 public:
  Blocked() {
    sigset_t set = TerminationSignals();
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, &old_);
    BlockTerminationSignals();
  }
  ~Blocked() {
    sigset_t hup;
    sigemptyset(&hup);
    sigaddset(&hup, SIGHUP);
    const timespec zero{0, 0};
    while (TerminationRequested(milliseconds(0)) || sigtimedwait(&hup, nullptr, &zero) > 0) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t old_;
};

TEST_CASE("termination signals: SIGINT, SIGTERM and SIGQUIT, and no other", "[base][termination]") {
  const sigset_t set = TerminationSignals();
  CHECK(sigismember(&set, SIGINT) == 1);
  CHECK(sigismember(&set, SIGTERM) == 1);
  CHECK(sigismember(&set, SIGQUIT) == 1);
  CHECK(sigismember(&set, SIGHUP) == 0);
  CHECK(sigismember(&set, SIGPIPE) == 0);

  Blocked blocked;
  for (int signal : {SIGINT, SIGTERM, SIGQUIT}) {
    INFO(signal);
    pthread_kill(pthread_self(), signal);
    CHECK(TerminationRequested(milliseconds(0)));
    // Taken: asking again finds nothing.
    CHECK_FALSE(TerminationRequested(milliseconds(0)));
  }
  // A reload (SIGHUP) is not a request to stop.
  pthread_kill(pthread_self(), SIGHUP);
  CHECK_FALSE(TerminationRequested(milliseconds(0)));
}

TEST_CASE("termination signals: the wait lasts its timeout, or ends at the signal",
          "[base][termination]") {
  Blocked blocked;
  auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(TerminationRequested(milliseconds(100)));
  CHECK(std::chrono::steady_clock::now() - start >= milliseconds(100));

  // Sent to the process from another thread (as kill(1) does) half-way.
  std::thread sender([] {
    std::this_thread::sleep_for(milliseconds(50));
    kill(getpid(), SIGTERM);
  });
  start = std::chrono::steady_clock::now();
  CHECK(TerminationRequested(milliseconds(5000)));
  CHECK(std::chrono::steady_clock::now() - start < milliseconds(4000));
  sender.join();
}

}  // namespace
}  // namespace homeca
