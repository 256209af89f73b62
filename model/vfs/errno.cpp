// The errno tables: names from sys/sys/errno.h and strerror texts from lib/libc/gen/errlst.c as
// FreeBSD 8.3 ships them. Lookups by value index the table directly (row i is number i + 1),
// which the static_asserts below guarantee.
#include "model/vfs/errno.h"

#include "sim/base/assert.h"

namespace procsim::vfs {

constexpr std::array<ErrnoRow, kErrnoLast> kErrnoTable = {{
    {Errno::Eperm, "EPERM", "Operation not permitted"},
    {Errno::Enoent, "ENOENT", "No such file or directory"},
    {Errno::Esrch, "ESRCH", "No such process"},
    {Errno::Eintr, "EINTR", "Interrupted system call"},
    {Errno::Eio, "EIO", "Input/output error"},
    {Errno::Enxio, "ENXIO", "Device not configured"},
    {Errno::E2big, "E2BIG", "Argument list too long"},
    {Errno::Enoexec, "ENOEXEC", "Exec format error"},
    {Errno::Ebadf, "EBADF", "Bad file descriptor"},
    {Errno::Echild, "ECHILD", "No child processes"},
    {Errno::Edeadlk, "EDEADLK", "Resource deadlock avoided"},
    {Errno::Enomem, "ENOMEM", "Cannot allocate memory"},
    {Errno::Eacces, "EACCES", "Permission denied"},
    {Errno::Efault, "EFAULT", "Bad address"},
    {Errno::Enotblk, "ENOTBLK", "Block device required"},
    {Errno::Ebusy, "EBUSY", "Device busy"},
    {Errno::Eexist, "EEXIST", "File exists"},
    {Errno::Exdev, "EXDEV", "Cross-device link"},
    {Errno::Enodev, "ENODEV", "Operation not supported by device"},
    {Errno::Enotdir, "ENOTDIR", "Not a directory"},
    {Errno::Eisdir, "EISDIR", "Is a directory"},
    {Errno::Einval, "EINVAL", "Invalid argument"},
    {Errno::Enfile, "ENFILE", "Too many open files in system"},
    {Errno::Emfile, "EMFILE", "Too many open files"},
    {Errno::Enotty, "ENOTTY", "Inappropriate ioctl for device"},
    {Errno::Etxtbsy, "ETXTBSY", "Text file busy"},
    {Errno::Efbig, "EFBIG", "File too large"},
    {Errno::Enospc, "ENOSPC", "No space left on device"},
    {Errno::Espipe, "ESPIPE", "Illegal seek"},
    {Errno::Erofs, "EROFS", "Read-only file system"},
    {Errno::Emlink, "EMLINK", "Too many links"},
    {Errno::Epipe, "EPIPE", "Broken pipe"},
    {Errno::Edom, "EDOM", "Numerical argument out of domain"},
    {Errno::Erange, "ERANGE", "Result too large"},
    {Errno::Eagain, "EAGAIN", "Resource temporarily unavailable"},
    {Errno::Einprogress, "EINPROGRESS", "Operation now in progress"},
    {Errno::Ealready, "EALREADY", "Operation already in progress"},
    {Errno::Enotsock, "ENOTSOCK", "Socket operation on non-socket"},
    {Errno::Edestaddrreq, "EDESTADDRREQ", "Destination address required"},
    {Errno::Emsgsize, "EMSGSIZE", "Message too long"},
    {Errno::Eprototype, "EPROTOTYPE", "Protocol wrong type for socket"},
    {Errno::Enoprotoopt, "ENOPROTOOPT", "Protocol not available"},
    {Errno::Eprotonosupport, "EPROTONOSUPPORT", "Protocol not supported"},
    {Errno::Esocktnosupport, "ESOCKTNOSUPPORT", "Socket type not supported"},
    {Errno::Eopnotsupp, "EOPNOTSUPP", "Operation not supported"},
    {Errno::Epfnosupport, "EPFNOSUPPORT", "Protocol family not supported"},
    {Errno::Eafnosupport, "EAFNOSUPPORT", "Address family not supported by protocol family"},
    {Errno::Eaddrinuse, "EADDRINUSE", "Address already in use"},
    {Errno::Eaddrnotavail, "EADDRNOTAVAIL", "Can't assign requested address"},
    {Errno::Enetdown, "ENETDOWN", "Network is down"},
    {Errno::Enetunreach, "ENETUNREACH", "Network is unreachable"},
    {Errno::Enetreset, "ENETRESET", "Network dropped connection on reset"},
    {Errno::Econnaborted, "ECONNABORTED", "Software caused connection abort"},
    {Errno::Econnreset, "ECONNRESET", "Connection reset by peer"},
    {Errno::Enobufs, "ENOBUFS", "No buffer space available"},
    {Errno::Eisconn, "EISCONN", "Socket is already connected"},
    {Errno::Enotconn, "ENOTCONN", "Socket is not connected"},
    {Errno::Eshutdown, "ESHUTDOWN", "Can't send after socket shutdown"},
    {Errno::Etoomanyrefs, "ETOOMANYREFS", "Too many references: can't splice"},
    {Errno::Etimedout, "ETIMEDOUT", "Operation timed out"},
    {Errno::Econnrefused, "ECONNREFUSED", "Connection refused"},
    {Errno::Eloop, "ELOOP", "Too many levels of symbolic links"},
    {Errno::Enametoolong, "ENAMETOOLONG", "File name too long"},
    {Errno::Ehostdown, "EHOSTDOWN", "Host is down"},
    {Errno::Ehostunreach, "EHOSTUNREACH", "No route to host"},
    {Errno::Enotempty, "ENOTEMPTY", "Directory not empty"},
    {Errno::Eproclim, "EPROCLIM", "Too many processes"},
    {Errno::Eusers, "EUSERS", "Too many users"},
    {Errno::Edquot, "EDQUOT", "Disc quota exceeded"},
    {Errno::Estale, "ESTALE", "Stale NFS file handle"},
    {Errno::Eremote, "EREMOTE", "Too many levels of remote in path"},
    {Errno::Ebadrpc, "EBADRPC", "RPC struct is bad"},
    {Errno::Erpcmismatch, "ERPCMISMATCH", "RPC version wrong"},
    {Errno::Eprogunavail, "EPROGUNAVAIL", "RPC prog. not avail"},
    {Errno::Eprogmismatch, "EPROGMISMATCH", "Program version wrong"},
    {Errno::Eprocunavail, "EPROCUNAVAIL", "Bad procedure for program"},
    {Errno::Enolck, "ENOLCK", "No locks available"},
    {Errno::Enosys, "ENOSYS", "Function not implemented"},
    {Errno::Eftype, "EFTYPE", "Inappropriate file type or format"},
    {Errno::Eauth, "EAUTH", "Authentication error"},
    {Errno::Eneedauth, "ENEEDAUTH", "Need authenticator"},
    {Errno::Eidrm, "EIDRM", "Identifier removed"},
    {Errno::Enomsg, "ENOMSG", "No message of desired type"},
    {Errno::Eoverflow, "EOVERFLOW", "Value too large to be stored in data type"},
    {Errno::Ecanceled, "ECANCELED", "Operation canceled"},
    {Errno::Eilseq, "EILSEQ", "Illegal byte sequence"},
    {Errno::Enoattr, "ENOATTR", "Attribute not found"},
    {Errno::Edoofus, "EDOOFUS", "Programming error"},
    {Errno::Ebadmsg, "EBADMSG", "Bad message"},
    {Errno::Emultihop, "EMULTIHOP", "Multihop attempted"},
    {Errno::Enolink, "ENOLINK", "Link has been severed"},
    {Errno::Eproto, "EPROTO", "Protocol error"},
    {Errno::Enotcapable, "ENOTCAPABLE", "Capabilities insufficient"},
}};

constexpr std::array<ErrnoRow, 4> kKernelErrnoTable = {{
    {Errno::Edirioctl, "EDIRIOCTL", ""},
    {Errno::Enoioctl, "ENOIOCTL", ""},
    {Errno::Ejustreturn, "EJUSTRETURN", ""},
    {Errno::Erestart, "ERESTART", ""},
}};

constexpr std::array<ErrnoRow, 2> kErrnoAliasTable = {{
    {Errno::Ewouldblock, "EWOULDBLOCK", "Resource temporarily unavailable"},
    {Errno::Enotsup, "ENOTSUP", "Operation not supported"},
}};

namespace {

constexpr bool rows_are_in_number_order() {
  for (std::size_t i = 0; i < kErrnoTable.size(); ++i) {
    if (errno_value(kErrnoTable[i].error) != static_cast<int>(i) + 1) return false;
    if (kErrnoTable[i].name.empty() || kErrnoTable[i].text.empty()) return false;
  }
  return true;
}
static_assert(rows_are_in_number_order(), "row i of kErrnoTable must describe errno i + 1");

constexpr bool kernel_rows_are_in_number_order() {
  for (std::size_t i = 0; i < kKernelErrnoTable.size(); ++i) {
    if (errno_value(kKernelErrnoTable[i].error) != static_cast<int>(i) - 4) return false;
  }
  return true;
}
static_assert(kernel_rows_are_in_number_order(), "kernel rows run from -4 to -1");

}  // namespace

const ErrnoRow* errno_row(Errno error) {
  int value = errno_value(error);
  if (value >= 1 && value <= kErrnoLast) {
    const ErrnoRow& row = kErrnoTable[static_cast<std::size_t>(value - 1)];
    PROCSIM_ASSERT(row.error == error);
    return &row;
  }
  if (value >= -4 && value <= -1) {
    const ErrnoRow& row = kKernelErrnoTable[static_cast<std::size_t>(value + 4)];
    PROCSIM_ASSERT(row.error == error);
    return &row;
  }
  return nullptr;
}

std::string errno_name(Errno error) {
  const ErrnoRow* row = errno_row(error);
  if (row == nullptr) return fmt::format("E{}", errno_value(error));
  return std::string(row->name);
}

std::string errno_text(Errno error) {
  // libc's strerror knows only 1..ELAST (and 0); everything else, negative kernel-internal
  // values included, prints as "Unknown error: <n>".
  const ErrnoRow* row = errno_row(error);
  if (row == nullptr || row->text.empty()) return fmt::format("Unknown error: {}", errno_value(error));
  return std::string(row->text);
}

std::optional<Errno> errno_from_name(std::string_view name) {
  for (const ErrnoRow& row : kErrnoTable) {
    if (row.name == name) return row.error;
  }
  for (const ErrnoRow& row : kErrnoAliasTable) {
    if (row.name == name) return row.error;
  }
  for (const ErrnoRow& row : kKernelErrnoTable) {
    if (row.name == name) return row.error;
  }
  return std::nullopt;
}

}  // namespace procsim::vfs
