// truss's printing; see truss_format.h. The formats restate usr.bin/truss's print_arg(),
// print_syscall() and print_syscall_ret() of FreeBSD 4 and 5 (amd64) from their behaviour.
#include "model/userland/truss_format.h"

#include <fmt/format.h>

#include "model/kern/signal.h"
#include "model/vfs/errno.h"
#include "sim/base/assert.h"

namespace procsim::userland {

namespace {

// print_syscall() pads the call with tabs up to this many 8-column tab stops.
constexpr std::size_t kCallTabStops = 6;
constexpr std::size_t kTabWidth = 8;

enum class TrussStyle : std::uint8_t { Int, Octal, Hex, String, Signal };

// Which of truss's printing styles shows each of the kernel's argument formats: numbers in
// decimal, modes in octal, flags and every pointer (buffers, structures, vectors) in hex.
TrussStyle style_of(kern::ArgFormat format) {
  using kern::ArgFormat;
  switch (format) {
    case ArgFormat::Int:
    case ArgFormat::Uint:
    case ArgFormat::ProcessId:
    case ArgFormat::Fd:
    case ArgFormat::SigHow:
    case ArgFormat::PtraceRequest: return TrussStyle::Int;
    case ArgFormat::Octal: return TrussStyle::Octal;
    case ArgFormat::SignalNumber: return TrussStyle::Signal;
    case ArgFormat::String: return TrussStyle::String;
    case ArgFormat::Hex:
    case ArgFormat::WaitFlags:
    case ArgFormat::Pointer:
    case ArgFormat::InBuffer:
    case ArgFormat::OutBuffer:
    case ArgFormat::Sigset:
    case ArgFormat::Sigaction:
    case ArgFormat::Timespec:
    case ArgFormat::Rusage:
    case ArgFormat::StatusOut:
    case ArgFormat::GidList:
    case ArgFormat::StatOut:
    case ArgFormat::StringVector:
    case ArgFormat::PtraceAddr: return TrussStyle::Hex;
  }
  PROCSIM_UNREACHABLE();
}

std::string signal_text(std::uint64_t value) {
  // sys_signame[] covers 1..NSIG-1; truss upper-cases "sig" + the name.
  auto number = static_cast<std::int64_t>(value);
  if (number <= 0 || number >= static_cast<std::int64_t>(kern::kNsig)) return fmt::format("{}", number);
  const kern::SignalRow* row = kern::signal_row(kern::Signal(static_cast<std::uint32_t>(number)));
  PROCSIM_ASSERT(row != nullptr);
  return std::string(row->name);
}

}  // namespace

std::string format_truss_argument(kern::ArgFormat format, std::uint64_t value,
                                  const TrussStringReader& read_string) {
  switch (style_of(format)) {
    case TrussStyle::Int: return fmt::format("{}", static_cast<std::int64_t>(value));
    case TrussStyle::Octal: return fmt::format("0{:o}", value);
    case TrussStyle::Hex: return fmt::format("{:#x}", value);
    case TrussStyle::Signal: return signal_text(value);
    case TrussStyle::String: {
      PROCSIM_ASSERT(read_string != nullptr);
      return "\"" + read_string(value) + "\"";
    }
  }
  PROCSIM_UNREACHABLE();
}

std::string format_truss_call(std::optional<std::string_view> name,
                              std::span<const std::optional<std::string>> arguments) {
  std::string text = name.has_value() ? std::string(*name) : std::string("(null)");
  text += '(';
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    text += arguments[i].has_value() ? *arguments[i] : std::string("<missing argument>");
    if (i + 1 < arguments.size()) text += ',';
  }
  text += ')';
  std::size_t stops = text.size() / kTabWidth;
  std::size_t tabs = stops < kCallTabStops ? kCallTabStops - stops : 0;
  text.append(tabs, '\t');
  PROCSIM_ASSERT(text.back() == ')' || text.back() == '\t');
  return text;
}

std::string format_truss_result(bool error, std::int64_t retval) {
  if (error) {
    auto error_number = static_cast<int>(retval);
    return fmt::format(" ERR#{} '{}'\n", error_number,
                       vfs::errno_text(static_cast<vfs::Errno>(error_number)));
  }
  return fmt::format(" = {} ({:#x})\n", retval, static_cast<std::uint64_t>(retval));
}

std::string format_truss_signal(std::uint64_t val) { return fmt::format("SIGNAL {}\n", val); }

std::string format_truss_exit(std::uint64_t val) { return fmt::format("process exit, rval = {}\n", val); }

std::string format_truss_unknown_stop(std::uint32_t why) {
  return fmt::format("Process stopped because of:  {}\n", why);
}

}  // namespace procsim::userland
