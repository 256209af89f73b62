// How truss prints what it sees (FreeBSD 4's usr.bin/truss with the amd64 return values of its
// FreeBSD 5 successor): one argument by the kernel's argument format, a call padded with tabs to
// column 48, its result or error, and the lines for signals, exits and unknown stops. Pure text;
// reading the target's registers and memory is the program's business (program_truss.cpp).
// Leaves out -a/-e (argv and environment strings), -f, -d/-D timestamps and structure decoding.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "model/kern/sysent.h"

namespace procsim::userland {

// Reads the NUL-terminated string at an address of the target (get_string over its `mem`);
// whatever could be read, empty when nothing could.
using TrussStringReader = std::function<std::string(std::uint64_t address)>;

// One argument: Int-like formats as "%ld", Octal "0%lo", Hex "0x%lx", a string quoted as read
// (no escaping), a signal number 1..31 as "SIGHUP" (else "%ld"), every pointer in hex.
std::string format_truss_argument(kern::ArgFormat format, std::uint64_t value,
                                  const TrussStringReader& read_string);

// "name(a,b,c)" and the tabs that bring it to column 48 (none once it is that long). A null
// name prints as "(null)", as printf does; a missing argument as "<missing argument>".
std::string format_truss_call(std::optional<std::string_view> name,
                              std::span<const std::optional<std::string>> arguments);

// What follows the call: " = 6 (0x6)\n", or " ERR#2 'No such file or directory'\n" where the
// return register holds the errno.
std::string format_truss_result(bool error, std::int64_t retval);

// "SIGNAL 2\n", "process exit, rval = 256\n" (the wait-status encoding) and the line for an
// event truss does not know.
std::string format_truss_signal(std::uint64_t val);
std::string format_truss_exit(std::uint64_t val);
std::string format_truss_unknown_stop(std::uint32_t why);

}  // namespace procsim::userland
