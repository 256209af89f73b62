// Fibers: the kernel stacks of simulated threads. A fiber runs its body on its own guarded stack
// until the body suspends, then control returns to whoever resumed it; the scheduler decides
// which fiber to resume next. Switching is cooperative and single-threaded: no preemption, no
// host threads. Boost.Context stays sealed inside fiber.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace procsim::sim {

class Fiber {
 public:
  using Body = std::function<void(Fiber&)>;

  // Stack sizes, in bytes (rounded up to whole pages, plus one guard page below the stack).
  // The default leaves room for a system-call handler formatting procfs output with fmt, with
  // headroom for sanitizer builds; pages never touched cost no memory.
  static constexpr std::size_t kMinStackBytes = 16 * 1024;
  static constexpr std::size_t kDefaultStackBytes = 256 * 1024;
  static constexpr std::size_t kMaxStackBytes = 8 * 1024 * 1024;

  enum class State : std::uint8_t {
    Created,    // not yet resumed; the body has not started
    Running,    // between resume() and its return (also while it has resumed another fiber)
    Suspended,  // the body called suspend() and waits to be resumed
    Finished,   // the body returned (or was unwound by destruction)
  };

  // The body runs on the first resume(). stack_bytes lies in [kMinStackBytes, kMaxStackBytes].
  // The body must not let an exception escape: that is a bug and aborts.
  Fiber(std::string name, Body body, std::size_t stack_bytes = kDefaultStackBytes);

  // A suspended fiber is unwound first, so the destructors of objects on its stack run; a fiber
  // never started is discarded without running its body. Destroying a running fiber is a bug.
  ~Fiber();

  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;
  Fiber(Fiber&&) = delete;
  Fiber& operator=(Fiber&&) = delete;

  // Runs the fiber until it suspends or finishes. Callable from the main stack or from another
  // fiber (which then stays Running until this returns); not on a Running or Finished fiber.
  void resume();

  // Only from inside this fiber's body (asserted by checking the stack): switches back to the
  // resumer. Returns when the fiber is next resumed.
  void suspend();

  State state() const;
  bool finished() const { return state() == State::Finished; }
  bool running() const { return state() == State::Running; }
  const std::string& name() const;
  std::size_t stack_bytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

std::string_view fiber_state_name(Fiber::State state);

}  // namespace procsim::sim
