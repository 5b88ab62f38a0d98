// HangupSignal: a thread that waits for SIGHUP and runs a callback for each
// one (homecad's reload). SIGHUP must be blocked in every thread, so it is
// only ever received here and never kills the daemon (its default action):
// call Block() before the process starts any thread, so all of them inherit
// the mask. A SIGHUP that arrives before the thread runs waits, pending.
//
// Thread-safety: construct and destroy from one thread; the callback runs on
// the signal thread, one call at a time.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace homeca::webui {

class HangupSignal {
 public:
  // Blocks SIGHUP in the calling thread (and threads it starts later).
  static void Block();

  explicit HangupSignal(std::function<void()> on_hangup);
  ~HangupSignal();  // stops and joins the thread; a callback in progress finishes
  HangupSignal(const HangupSignal&) = delete;
  HangupSignal& operator=(const HangupSignal&) = delete;

 private:
  void Run();

  std::function<void()> on_hangup_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace homeca::webui
