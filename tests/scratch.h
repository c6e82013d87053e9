// Scratch folders for tests. Every folder a test process asks for lives
// under one folder of its own, <tmp>/pl-tests-<pid>, which is removed when
// every test of the process passed, and kept (and named on stderr) when one
// failed, for a look at what the failing test left.
#pragma once

#include <string>

namespace pl::scratch {

// A new, empty folder whose name starts with `name`.
std::string ScratchDir(const std::string& name);

}  // namespace pl::scratch
