// A thread of the test process that announces itself, then calls something
// that blocks (EventLog::WaitFor, say): the test waits until that thread is
// asleep in the kernel before it acts, with no sleep of its own and no
// assumption on how fast the machine is. Linux: read from /proc.
#pragma once

#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

namespace pl::testing_threads {

inline pid_t ThisThreadId() { return static_cast<pid_t>(::syscall(SYS_gettid)); }

// Whether thread `tid` of this process is asleep ('S' in its stat: waiting
// on a futex, a sleep, a socket).
inline bool IsAsleep(pid_t tid) {
  std::ifstream in("/proc/self/task/" + std::to_string(tid) + "/stat");
  const std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t close = stat.rfind(')');  // the name, in parentheses, may hold anything
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] == 'S';
}

// Waits until the thread whose id `tid` holds (0 until it announced itself)
// is asleep, for up to `deadline`; whether it was.
inline bool WaitUntilAsleep(const std::atomic<pid_t>& tid,
                            std::chrono::seconds deadline = std::chrono::seconds(60)) {
  for (auto end = std::chrono::steady_clock::now() + deadline;
       std::chrono::steady_clock::now() < end;
       std::this_thread::sleep_for(std::chrono::milliseconds(1)))
    if (tid != 0 && IsAsleep(tid)) return true;
  return false;
}

}  // namespace pl::testing_threads
