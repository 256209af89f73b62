// Fibers on boost::context::fiber with guard-paged stacks. This is the only file that includes
// Boost.Context. Under AddressSanitizer every stack switch is announced to ASan, including the
// switches Boost makes while unwinding a destroyed fiber, so ASan always knows the current stack.
#include "sim/fiber.h"

#include <array>
#include <exception>
#include <utility>

#include <boost/context/fiber.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>

#include "sim/base/assert.h"

#if defined(__SANITIZE_ADDRESS__)
#define PROCSIM_FIBER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PROCSIM_FIBER_ASAN 1
#endif
#endif

#if defined(PROCSIM_FIBER_ASAN)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

namespace procsim::sim {

namespace context = boost::context;

namespace {

struct StateInfo {
  Fiber::State state;
  std::string_view name;
};

constexpr std::array kStateTable = {
    StateInfo{Fiber::State::Created, "created"},
    StateInfo{Fiber::State::Running, "running"},
    StateInfo{Fiber::State::Suspended, "suspended"},
    StateInfo{Fiber::State::Finished, "finished"},
};

// The memory of one stack: lowest address and length.
struct StackBounds {
  const void* bottom = nullptr;
  std::size_t size = 0;
};

// Tells ASan that the code is about to move to the stack `to`. `fake_stack` receives this
// stack's fake-stack handle, or is null when the current stack is being left for good.
void announce_switch(void** fake_stack, const StackBounds& to) {
#if defined(PROCSIM_FIBER_ASAN)
  __sanitizer_start_switch_fiber(fake_stack, to.bottom, to.size);
#else
  (void)fake_stack;
  (void)to;
#endif
}

// Tells ASan the switch has happened; `from` (if not null) receives the stack just left.
void complete_switch(void* fake_stack, StackBounds* from) {
#if defined(PROCSIM_FIBER_ASAN)
  const void* bottom = nullptr;
  std::size_t size = 0;
  __sanitizer_finish_switch_fiber(fake_stack, &bottom, &size);
  if (from != nullptr) *from = StackBounds{bottom, size};
#else
  (void)fake_stack;
  (void)from;
#endif
}

// protected_fixedsize_stack, remembering where the stack lies for the ASan annotations and for
// the check that suspend() runs on the fiber's own stack.
class RecordingStackAllocator {
 public:
  RecordingStackAllocator(std::size_t stack_bytes, StackBounds& bounds)
      : m_allocator(stack_bytes), m_bounds(&bounds) {}

  context::stack_context allocate() {
    context::stack_context stack = m_allocator.allocate();
    // Stacks grow down: sp is the top, the usable region (with the guard page) lies below it.
    m_bounds->bottom = static_cast<const char*>(stack.sp) - stack.size;
    m_bounds->size = stack.size;
    clear_poison(stack);
    return stack;
  }

  void deallocate(context::stack_context& stack) noexcept {
    clear_poison(stack);
    m_allocator.deallocate(stack);
  }

 private:
  // A fiber destroyed while suspended never unwinds, so ASan's marks for its frames outlive it;
  // a later stack mapped at the same address must not inherit them.
  static void clear_poison([[maybe_unused]] const context::stack_context& stack) noexcept {
#if defined(PROCSIM_FIBER_ASAN)
    __asan_unpoison_memory_region(static_cast<const char*>(stack.sp) - stack.size, stack.size);
#endif
  }

  context::protected_fixedsize_stack m_allocator;
  StackBounds* m_bounds;
};

}  // namespace

struct Fiber::Impl {
  Impl(Fiber& owner_fiber, std::string fiber_name, Body fiber_body, std::size_t bytes)
      : owner(owner_fiber), name(std::move(fiber_name)), body(std::move(fiber_body)), stack_bytes(bytes) {}

  context::fiber run(context::fiber&& resumer);
  void run_body();
  bool on_own_stack() const;

  void transition_to_running();
  void transition_to_suspended();
  void transition_to_finished();

  Fiber& owner;
  std::string name;
  Body body;
  std::size_t stack_bytes;
  State state = State::Created;
  // Set when an unstarted fiber is destroyed: the trampoline then returns without the body.
  bool cancelled = false;
  // The fiber itself while it is not running (empty once finished).
  context::fiber self;
  // While running: the context that resumed it, to switch back to on suspend or exit.
  context::fiber resumer;
  StackBounds own_stack;
  StackBounds resumer_stack;
};

void Fiber::Impl::transition_to_running() {
  PROCSIM_ASSERT(state == State::Created || state == State::Suspended);
  state = State::Running;
}

void Fiber::Impl::transition_to_suspended() {
  PROCSIM_ASSERT(state == State::Running);
  state = State::Suspended;
}

void Fiber::Impl::transition_to_finished() {
  PROCSIM_ASSERT(state == State::Running);
  state = State::Finished;
}

bool Fiber::Impl::on_own_stack() const {
  auto frame = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
  auto bottom = reinterpret_cast<std::uintptr_t>(own_stack.bottom);
  return frame >= bottom && frame - bottom < own_stack.size;
}

// The first frame on the fiber's stack. Whatever happens in the body, control leaves here
// either by returning the resumer (normal exit) or by Boost's forced unwind (destruction).
context::fiber Fiber::Impl::run(context::fiber&& from) {
  complete_switch(nullptr, &resumer_stack);
  resumer = std::move(from);
  PROCSIM_ASSERT(state == State::Running);
  if (!cancelled) {
    try {
      run_body();
    } catch (const context::detail::forced_unwind&) {
      // Being destroyed while suspended: leave this stack for good, and let Boost finish.
      transition_to_finished();
      announce_switch(nullptr, resumer_stack);
      throw;
    }
  }
  transition_to_finished();
  announce_switch(nullptr, resumer_stack);
  return std::move(resumer);
}

void Fiber::Impl::run_body() {
  try {
    body(owner);
  } catch (const context::detail::forced_unwind&) {
    throw;
  } catch (const std::exception& error) {
    PROCSIM_ASSERT_MSG(false, error.what());
  } catch (...) {
    PROCSIM_ASSERT_MSG(false, "an exception escaped a fiber body");
  }
}

Fiber::Fiber(std::string name, Body body, std::size_t stack_bytes)
    : m_impl(std::make_unique<Impl>(*this, std::move(name), std::move(body), stack_bytes)) {
  PROCSIM_ASSERT(m_impl->body != nullptr);
  PROCSIM_ASSERT(stack_bytes >= kMinStackBytes);
  PROCSIM_ASSERT(stack_bytes <= kMaxStackBytes);
  Impl* impl = m_impl.get();
  m_impl->self = context::fiber(std::allocator_arg, RecordingStackAllocator(stack_bytes, impl->own_stack),
                                [impl](context::fiber&& from) { return impl->run(std::move(from)); });
  PROCSIM_ASSERT(m_impl->own_stack.size >= stack_bytes);
}

Fiber::~Fiber() {
  Impl& impl = *m_impl;
  PROCSIM_ASSERT_MSG(impl.state != State::Running, "a running fiber cannot be destroyed");
  if (impl.state == State::Created) {
    impl.cancelled = true;
    resume();
  }
  if (impl.state == State::Suspended) {
    impl.transition_to_running();
    void* fake_stack = nullptr;
    announce_switch(&fake_stack, impl.own_stack);
    // Destroying a suspended boost fiber throws forced_unwind on its stack, runs the destructors
    // there and switches back here.
    impl.self = context::fiber();
    complete_switch(fake_stack, nullptr);
  }
  PROCSIM_ASSERT(impl.state == State::Finished);
  PROCSIM_ASSERT(!impl.self);
}

void Fiber::resume() {
  Impl& impl = *m_impl;
  impl.transition_to_running();
  PROCSIM_ASSERT(impl.self);
  void* fake_stack = nullptr;
  announce_switch(&fake_stack, impl.own_stack);
  impl.self = std::move(impl.self).resume();
  complete_switch(fake_stack, nullptr);
  PROCSIM_ASSERT(impl.state == State::Suspended || impl.state == State::Finished);
  PROCSIM_ASSERT((impl.state == State::Finished) == !impl.self);
}

void Fiber::suspend() {
  Impl& impl = *m_impl;
  PROCSIM_ASSERT_MSG(impl.on_own_stack(), "Fiber::suspend must be called from inside that fiber");
  impl.transition_to_suspended();
  void* fake_stack = nullptr;
  announce_switch(&fake_stack, impl.resumer_stack);
  try {
    impl.resumer = std::move(impl.resumer).resume();
  } catch (const context::detail::forced_unwind&) {
    // The fiber is being destroyed; the unwind continues on this stack.
    complete_switch(fake_stack, &impl.resumer_stack);
    throw;
  }
  complete_switch(fake_stack, &impl.resumer_stack);
  PROCSIM_ASSERT(impl.state == State::Running);
  PROCSIM_ASSERT(impl.resumer);
}

Fiber::State Fiber::state() const { return m_impl->state; }

const std::string& Fiber::name() const { return m_impl->name; }

std::size_t Fiber::stack_bytes() const { return m_impl->stack_bytes; }

std::string_view fiber_state_name(Fiber::State state) {
  auto index = static_cast<std::size_t>(state);
  PROCSIM_ASSERT(index < kStateTable.size());
  PROCSIM_ASSERT(kStateTable[index].state == state);
  return kStateTable[index].name;
}

}  // namespace procsim::sim
