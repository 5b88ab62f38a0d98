// The signals that ask a homeca program to stop, and the one way our programs
// take them: SIGINT, SIGTERM and SIGQUIT (the three Poco's
// ServerApplication::waitForTerminationRequest waits for), blocked in every
// thread and then taken synchronously, so none interrupts a network call
// half-way or kills a daemon mid-request by its default action: the program
// stops where it chooses. homecad, `homeca-enroll run` and `homeca-enroll
// wait` use these; a command they start gets the default actions back
// (command_runner.h).
//
// Thread-safety: BlockTerminationSignals changes the calling thread's mask;
// call it before the process starts any thread. TerminationRequested may be
// called from any thread that has them blocked.
#pragma once

#include <signal.h>

#include <chrono>

namespace homeca {

// SIGINT, SIGTERM and SIGQUIT.
sigset_t TerminationSignals();

// Blocks them in the calling thread; threads it starts afterwards inherit
// the mask. A thread started before this could still receive one and die.
void BlockTerminationSignals();

// Waits up to `timeout` (0: only looks) for a termination signal, which must
// be blocked, and takes it. True: one arrived, the program should stop.
// False: the time passed without one.
bool TerminationRequested(std::chrono::milliseconds timeout);

}  // namespace homeca
