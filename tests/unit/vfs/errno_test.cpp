// The errno table is visible in every failing system call a transcript shows ("= -1 EBUSY
// (Device busy)"), so its numbers, names and strerror texts are pinned here.
#include "model/vfs/errno.h"

#include <string>

#include <doctest/doctest.h>

using procsim::vfs::Errno;
using procsim::vfs::errno_from_name;
using procsim::vfs::errno_name;
using procsim::vfs::errno_row;
using procsim::vfs::errno_text;
using procsim::vfs::errno_value;
using procsim::vfs::kErrnoAliasTable;
using procsim::vfs::kErrnoLast;
using procsim::vfs::kErrnoTable;
using procsim::vfs::kKernelErrnoTable;
using procsim::vfs::KResult;

TEST_CASE("every row's name maps back to its number and the number to the row") {
  for (std::size_t i = 0; i < kErrnoTable.size(); ++i) {
    const auto& row = kErrnoTable[i];
    std::string name(row.name);
    CAPTURE(name);
    CHECK(errno_value(row.error) == static_cast<int>(i) + 1);
    CHECK(errno_row(row.error) == &row);
    CHECK(errno_name(row.error) == row.name);
    CHECK(errno_text(row.error) == row.text);
    REQUIRE(errno_from_name(row.name).has_value());
    CHECK(*errno_from_name(row.name) == row.error);
  }
  CHECK(kErrnoTable.size() == 93);
  CHECK(kErrnoLast == 93);
}

TEST_CASE("the names of errors 1 to 93 are FreeBSD 8.3's, in number order") {
  std::string joined;
  for (const auto& row : kErrnoTable) joined += std::string(row.name) + " ";
  CHECK(joined ==
        "EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EDEADLK ENOMEM EACCES EFAULT "
        "ENOTBLK EBUSY EEXIST EXDEV ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE ENOTTY ETXTBSY EFBIG "
        "ENOSPC ESPIPE EROFS EMLINK EPIPE EDOM ERANGE EAGAIN EINPROGRESS EALREADY ENOTSOCK "
        "EDESTADDRREQ EMSGSIZE EPROTOTYPE ENOPROTOOPT EPROTONOSUPPORT ESOCKTNOSUPPORT EOPNOTSUPP "
        "EPFNOSUPPORT EAFNOSUPPORT EADDRINUSE EADDRNOTAVAIL ENETDOWN ENETUNREACH ENETRESET "
        "ECONNABORTED ECONNRESET ENOBUFS EISCONN ENOTCONN ESHUTDOWN ETOOMANYREFS ETIMEDOUT "
        "ECONNREFUSED ELOOP ENAMETOOLONG EHOSTDOWN EHOSTUNREACH ENOTEMPTY EPROCLIM EUSERS EDQUOT "
        "ESTALE EREMOTE EBADRPC ERPCMISMATCH EPROGUNAVAIL EPROGMISMATCH EPROCUNAVAIL ENOLCK ENOSYS "
        "EFTYPE EAUTH ENEEDAUTH EIDRM ENOMSG EOVERFLOW ECANCELED EILSEQ ENOATTR EDOOFUS EBADMSG "
        "EMULTIHOP ENOLINK EPROTO ENOTCAPABLE ");
}

TEST_CASE("strerror texts are FreeBSD's, not another system's") {
  CHECK(errno_text(Errno::Eperm) == "Operation not permitted");
  CHECK(errno_text(Errno::Esrch) == "No such process");
  CHECK(errno_text(Errno::Eio) == "Input/output error");
  CHECK(errno_text(Errno::Enxio) == "Device not configured");
  CHECK(errno_text(Errno::Ebadf) == "Bad file descriptor");
  CHECK(errno_text(Errno::Enomem) == "Cannot allocate memory");
  CHECK(errno_text(Errno::Ebusy) == "Device busy");
  CHECK(errno_text(Errno::Enodev) == "Operation not supported by device");
  CHECK(errno_text(Errno::Enotty) == "Inappropriate ioctl for device");
  CHECK(errno_text(Errno::Eagain) == "Resource temporarily unavailable");
  CHECK(errno_text(Errno::Emsgsize) == "Message too long");
  CHECK(errno_text(Errno::Eopnotsupp) == "Operation not supported");
  CHECK(errno_text(Errno::Eafnosupport) == "Address family not supported by protocol family");
  CHECK(errno_text(Errno::Eaddrnotavail) == "Can't assign requested address");
  CHECK(errno_text(Errno::Etoomanyrefs) == "Too many references: can't splice");
  CHECK(errno_text(Errno::Edquot) == "Disc quota exceeded");
  CHECK(errno_text(Errno::Eprogunavail) == "RPC prog. not avail");
  CHECK(errno_text(Errno::Edoofus) == "Programming error");
  CHECK(errno_text(Errno::Enotcapable) == "Capabilities insufficient");
}

TEST_CASE("numbers of the errors the model returns most") {
  CHECK(errno_value(Errno::Eperm) == 1);
  CHECK(errno_value(Errno::Enoent) == 2);
  CHECK(errno_value(Errno::Esrch) == 3);
  CHECK(errno_value(Errno::Eintr) == 4);
  CHECK(errno_value(Errno::Eio) == 5);
  CHECK(errno_value(Errno::Ebadf) == 9);
  CHECK(errno_value(Errno::Echild) == 10);
  CHECK(errno_value(Errno::Eacces) == 13);
  CHECK(errno_value(Errno::Efault) == 14);
  CHECK(errno_value(Errno::Ebusy) == 16);
  CHECK(errno_value(Errno::Einval) == 22);
  CHECK(errno_value(Errno::Enotty) == 25);
  CHECK(errno_value(Errno::Efbig) == 27);
  CHECK(errno_value(Errno::Eagain) == 35);
  CHECK(errno_value(Errno::Emsgsize) == 40);
  CHECK(errno_value(Errno::Eopnotsupp) == 45);
  CHECK(errno_value(Errno::Enametoolong) == 63);
  CHECK(errno_value(Errno::Enosys) == 78);
}

TEST_CASE("EWOULDBLOCK and ENOTSUP are second names for EAGAIN and EOPNOTSUPP") {
  CHECK(Errno::Ewouldblock == Errno::Eagain);
  CHECK(Errno::Enotsup == Errno::Eopnotsupp);
  CHECK(errno_from_name("EWOULDBLOCK") == Errno::Eagain);
  CHECK(errno_from_name("ENOTSUP") == Errno::Eopnotsupp);
  // The number prints under its primary name.
  CHECK(errno_name(Errno::Ewouldblock) == "EAGAIN");
  CHECK(errno_name(Errno::Enotsup) == "EOPNOTSUPP");
  for (const auto& alias : kErrnoAliasTable) CHECK(errno_text(alias.error) == alias.text);
}

TEST_CASE("kernel-internal errors have names but strerror does not know them") {
  CHECK(errno_value(Errno::Erestart) == -1);
  CHECK(errno_value(Errno::Ejustreturn) == -2);
  CHECK(errno_value(Errno::Enoioctl) == -3);
  CHECK(errno_value(Errno::Edirioctl) == -4);
  for (const auto& row : kKernelErrnoTable) {
    std::string name(row.name);
    CAPTURE(name);
    CHECK(errno_name(row.error) == row.name);
    CHECK(errno_from_name(row.name) == row.error);
  }
  CHECK(errno_text(Errno::Erestart) == "Unknown error: -1");
  CHECK(errno_text(Errno::Ejustreturn) == "Unknown error: -2");
}

TEST_CASE("numbers outside the table print as libc prints unknown errors") {
  Errno beyond_last = static_cast<Errno>(94);
  CHECK(errno_row(beyond_last) == nullptr);
  CHECK(errno_text(beyond_last) == "Unknown error: 94");
  CHECK(errno_name(beyond_last) == "E94");
  CHECK(errno_text(static_cast<Errno>(0)) == "Unknown error: 0");
}

TEST_CASE("name lookup is exact and case-sensitive") {
  CHECK(errno_from_name("EBUSY") == Errno::Ebusy);
  CHECK_FALSE(errno_from_name("ebusy").has_value());
  CHECK_FALSE(errno_from_name("EBUSY ").has_value());
  CHECK_FALSE(errno_from_name("").has_value());
  CHECK_FALSE(errno_from_name("ECAPMODE").has_value());
}

TEST_CASE("an Errno formats as its FreeBSD name") {
  CHECK(fmt::format("{}", Errno::Ebusy) == "EBUSY");
  CHECK(fmt::format("[{:>8}]", Errno::Esrch) == "[   ESRCH]");
}

namespace {

KResult<int> fails_with(Errno error) { return procsim::base::fail(error); }

KResult<int> forwards(Errno error) {
  int value = TRY(fails_with(error));
  return value + 1;
}

}  // namespace

TEST_CASE("KResult carries an Errno through TRY") {
  KResult<int> result = forwards(Errno::Esrch);
  REQUIRE(result.is_error());
  CHECK(result.error() == Errno::Esrch);
}
