// FreeBSD 8.3's error numbers (sys/sys/errno.h, 1..ELAST = 93) with their names and the exact
// strerror texts of lib/libc/gen/errlst.c, plus the four kernel-internal pseudo-errors that never
// reach user space. Numbers added after 8.3 (ECAPMODE 94 onward) and the shorter lists of older
// eras are not modelled: no simulated code path produces them.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "sim/base/result.h"

namespace procsim::vfs {

// Enumerators are FreeBSD's names with only the first letter upper case (EBUSY -> Ebusy): the
// host's <cerrno>, which every standard header pulls in, defines EBUSY and friends as macros, so
// the exact spelling cannot be an identifier. The exact names live in the table below.
enum class Errno : int {
  // Kernel-internal values (sys/sys/errno.h under _KERNEL): system-call plumbing, never returned.
  Edirioctl = -4,    // EDIRIOCTL: ioctl is to be done by the device itself
  Enoioctl = -3,     // ENOIOCTL: the ioctl is not handled here, try the next layer
  Ejustreturn = -2,  // EJUSTRETURN: do not modify the registers, just return
  Erestart = -1,     // ERESTART: restart the system call
  Eperm = 1,
  Enoent = 2,
  Esrch = 3,
  Eintr = 4,
  Eio = 5,
  Enxio = 6,
  E2big = 7,
  Enoexec = 8,
  Ebadf = 9,
  Echild = 10,
  Edeadlk = 11,
  Enomem = 12,
  Eacces = 13,
  Efault = 14,
  Enotblk = 15,
  Ebusy = 16,
  Eexist = 17,
  Exdev = 18,
  Enodev = 19,
  Enotdir = 20,
  Eisdir = 21,
  Einval = 22,
  Enfile = 23,
  Emfile = 24,
  Enotty = 25,
  Etxtbsy = 26,
  Efbig = 27,
  Enospc = 28,
  Espipe = 29,
  Erofs = 30,
  Emlink = 31,
  Epipe = 32,
  Edom = 33,
  Erange = 34,
  Eagain = 35,
  Einprogress = 36,
  Ealready = 37,
  Enotsock = 38,
  Edestaddrreq = 39,
  Emsgsize = 40,
  Eprototype = 41,
  Enoprotoopt = 42,
  Eprotonosupport = 43,
  Esocktnosupport = 44,
  Eopnotsupp = 45,
  Epfnosupport = 46,
  Eafnosupport = 47,
  Eaddrinuse = 48,
  Eaddrnotavail = 49,
  Enetdown = 50,
  Enetunreach = 51,
  Enetreset = 52,
  Econnaborted = 53,
  Econnreset = 54,
  Enobufs = 55,
  Eisconn = 56,
  Enotconn = 57,
  Eshutdown = 58,
  Etoomanyrefs = 59,
  Etimedout = 60,
  Econnrefused = 61,
  Eloop = 62,
  Enametoolong = 63,
  Ehostdown = 64,
  Ehostunreach = 65,
  Enotempty = 66,
  Eproclim = 67,
  Eusers = 68,
  Edquot = 69,
  Estale = 70,
  Eremote = 71,
  Ebadrpc = 72,
  Erpcmismatch = 73,
  Eprogunavail = 74,
  Eprogmismatch = 75,
  Eprocunavail = 76,
  Enolck = 77,
  Enosys = 78,
  Eftype = 79,
  Eauth = 80,
  Eneedauth = 81,
  Eidrm = 82,
  Enomsg = 83,
  Eoverflow = 84,
  Ecanceled = 85,
  Eilseq = 86,
  Enoattr = 87,
  Edoofus = 88,
  Ebadmsg = 89,
  Emultihop = 90,
  Enolink = 91,
  Eproto = 92,
  Enotcapable = 93,
  // Aliases FreeBSD defines with the same number.
  Ewouldblock = Eagain,
  Enotsup = Eopnotsupp,
};

// ELAST: the largest user-visible error number in 8.3.
inline constexpr int kErrnoLast = 93;

// Every fact about one error number. Row order is number order; aliases are separate rows.
struct ErrnoRow {
  Errno error;
  std::string_view name;  // "EPERM"
  std::string_view text;  // strerror(3): "Operation not permitted"
};

// Rows 1..ELAST: row i describes error number i + 1. spec: lib/libc/gen/errlst.c (8.3).
extern const std::array<ErrnoRow, kErrnoLast> kErrnoTable;

// The kernel-internal values, most negative first. strerror() has no text for them.
extern const std::array<ErrnoRow, 4> kKernelErrnoTable;

// Second names for numbers that already have a row (EWOULDBLOCK, ENOTSUP).
extern const std::array<ErrnoRow, 2> kErrnoAliasTable;

// The value's table row (primary name), or nullptr for a number FreeBSD 8.3 does not define.
const ErrnoRow* errno_row(Errno error);

// "EBUSY"; "E<number>" for a number without a row (never produced by the model).
std::string errno_name(Errno error);

// strerror(3) text: "Device busy"; "Unknown error: <n>" as libc prints it for other numbers,
// including the kernel-internal ones.
std::string errno_text(Errno error);

// The error with this exact (case-sensitive) name, aliases included: "EAGAIN", "EWOULDBLOCK".
std::optional<Errno> errno_from_name(std::string_view name);

// The number as int, as a system call returns it.
constexpr int errno_value(Errno error) { return static_cast<int>(error); }

// A modelled kernel failure or a value: what every kernel operation returns.
template <class T>
using KResult = base::Result<T, Errno>;

}  // namespace procsim::vfs

// Formats an Errno as its FreeBSD name, so traces and messages read "EBUSY".
template <>
struct fmt::formatter<procsim::vfs::Errno> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(procsim::vfs::Errno error, FormatContext& context) const {
    return fmt::formatter<std::string_view>::format(procsim::vfs::errno_name(error), context);
  }
};
