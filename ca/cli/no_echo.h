// NoEcho: terminal echo off on standard input for the object's lifetime, for
// reading passwords and passphrases. Does nothing when standard input is not
// a terminal.
//
// Thread-safety: one at a time (it changes the process's terminal state).
#pragma once

#include <termios.h>
#include <unistd.h>

namespace homeca::cli {

class NoEcho {
 public:
  NoEcho() {
    if (tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    active_ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~NoEcho() {
    if (active_) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  NoEcho(const NoEcho&) = delete;
  NoEcho& operator=(const NoEcho&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

}  // namespace homeca::cli
