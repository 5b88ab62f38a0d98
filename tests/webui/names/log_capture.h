// Test support: a Poco logger whose messages are kept in memory, so a test
// can check what a component logged and at which priority.
//
// Thread-safety: the channel locks; read messages() after the logging ends.
#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <mutex>
#include <string>
#include <vector>

namespace homeca::testing {

class MemoryChannel : public Poco::Channel {
 public:
  void log(const Poco::Message& message) override {
    std::lock_guard<std::mutex> lock(mutex_);
    lines_.push_back({message.getPriority(), message.getText()});
  }
  struct Line {
    Poco::Message::Priority priority;
    std::string text;
  };
  std::vector<Line> lines() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
  }
  // How many lines contain `needle`, at `priority` or more severe.
  int Count(const std::string& needle,
            Poco::Message::Priority priority = Poco::Message::PRIO_TRACE) const {
    int n = 0;
    for (const Line& line : lines()) {
      if (line.priority <= priority && line.text.find(needle) != std::string::npos) ++n;
    }
    return n;
  }
  std::string All() const {
    std::string out;
    for (const Line& line : lines()) out += line.text + "\n";
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<Line> lines_;
};

// A logger of its own (a unique name per instance) writing to a MemoryChannel.
class CapturedLog {
 public:
  CapturedLog() : channel_(new MemoryChannel) {
    static int counter = 0;
    logger_ = &Poco::Logger::get("test.capture." + std::to_string(++counter));
    logger_->setChannel(channel_);
    logger_->setLevel(Poco::Message::PRIO_TRACE);
  }
  Poco::Logger& logger() { return *logger_; }
  const MemoryChannel& channel() const { return *channel_; }

 private:
  Poco::AutoPtr<MemoryChannel> channel_;
  Poco::Logger* logger_ = nullptr;
};

}  // namespace homeca::testing
