// Names the calling thread (as `top -H`, gdb and perf show it); at most 15
// characters are kept.
#pragma once

#include <pthread.h>

#include <string>

namespace pl {

inline void NameThisThread(const std::string& name) {
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
}

}  // namespace pl
