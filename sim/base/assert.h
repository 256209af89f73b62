// Assertions for procsim's own invariants. A failed assertion is a bug in procsim, never a
// modelled failure (those are Errno values) nor bad input (those are Diagnostics): it prints
// file:line and the condition, then aborts. Assertions stay on in every build type.
#pragma once

namespace procsim::base {

[[noreturn]] void assertion_failed(const char* condition, const char* file, int line,
                                   const char* message);

}  // namespace procsim::base

#define PROCSIM_ASSERT(condition)                                                    \
  do {                                                                               \
    if (!(condition)) [[unlikely]]                                                   \
      ::procsim::base::assertion_failed(#condition, __FILE__, __LINE__, nullptr);    \
  } while (false)

#define PROCSIM_ASSERT_MSG(condition, message)                                       \
  do {                                                                               \
    if (!(condition)) [[unlikely]]                                                   \
      ::procsim::base::assertion_failed(#condition, __FILE__, __LINE__, (message));  \
  } while (false)

#define PROCSIM_UNREACHABLE() \
  ::procsim::base::assertion_failed("unreachable", __FILE__, __LINE__, nullptr)
