// Clock: the seam between the CA and wall-clock time, so tests can issue
// "in the future" without sleeping.
//
// Thread-safety: implementations must be safe to call from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <ctime>

namespace homeca::ca {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t Now() const = 0;  // unix seconds
};

class SystemClock final : public Clock {
 public:
  std::int64_t Now() const override { return static_cast<std::int64_t>(std::time(nullptr)); }
  static const Clock& Instance() {
    static const SystemClock clock;
    return clock;
  }
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::int64_t now) : now_(now) {}
  std::int64_t Now() const override { return now_.load(); }
  void Set(std::int64_t now) { now_.store(now); }
  void Advance(std::int64_t seconds) { now_.fetch_add(seconds); }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace homeca::ca
