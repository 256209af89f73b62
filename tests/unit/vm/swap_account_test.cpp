// The swap reservation books: vm.overcommit bits, per-uid RLIMIT_SWAP, privileges, and the
// rate-limited console message (spec/kernel.md §5.3).
#include "model/vm/swap_account.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>

using namespace procsim::vm;  // NOLINT: test brevity

namespace {

struct Books {
  explicit Books(SwapConfig config)
      : account(config, [this](std::string_view text) { console.emplace_back(text); }) {}
  std::vector<std::string> console;
  SwapAccount account;
};

Caller caller(std::uint32_t uid, std::int32_t pid, std::uint64_t now_ticks = 0) {
  Caller result;
  result.ruid = Uid(uid);
  result.pid = pid;
  result.now_ticks = now_ticks;
  return result;
}

}  // namespace

TEST_CASE("with vm.overcommit 0 every reservation is granted and counted per uid") {
  Books books({.swap_total_bytes = 4096});
  CHECK(books.account.reserve(65536, caller(1001, 5)));
  CHECK(books.account.reserve(8192, caller(1002, 6)));
  CHECK(books.account.reserved_bytes() == 73728);
  CHECK(books.account.uid_reserved_bytes(Uid(1001)) == 65536);
  CHECK(books.account.uid_reserved_bytes(Uid(1002)) == 8192);
  books.account.release_by_uid(65536, Uid(1001));
  CHECK(books.account.reserved_bytes() == 8192);
  CHECK(books.account.uid_reserved_bytes(Uid(1001)) == 0);
  CHECK(books.console.empty());
}

TEST_CASE("FORCE_ON refuses a reservation beyond swap_total unless the caller is root") {
  Books books({.swap_total_bytes = 16384, .overcommit = SWAP_RESERVE_FORCE_ON});
  CHECK(books.account.reserve(16384, caller(1001, 5)));
  CHECK_FALSE(books.account.reserve(4096, caller(1001, 5)));
  CHECK(books.account.reserved_bytes() == 16384);
  CHECK(books.account.uid_reserved_bytes(Uid(1001)) == 16384);
  Caller root = caller(0, 1);
  root.priv_vm_swap_noquota = true;
  CHECK(books.account.reserve(4096, root));
  CHECK(books.account.reserved_bytes() == 20480);
}

TEST_CASE("ALLOW_NONWIRED lets unwired RAM count towards the global limit") {
  Books books({.swap_total_bytes = 4096,
               .overcommit = SWAP_RESERVE_FORCE_ON | SWAP_RESERVE_ALLOW_NONWIRED,
               .nonwired_reservable_pages = 2});
  CHECK(books.account.reserve(12288, caller(1001, 5)));
  CHECK_FALSE(books.account.reserve(4096, caller(1001, 5)));
}

TEST_CASE("RLIMIT_ON checks the uid's total against the caller's RLIMIT_SWAP and rolls back") {
  Books books({.overcommit = SWAP_RESERVE_RLIMIT_ON});
  Caller limited = caller(1001, 7);
  limited.rlimit_swap_cur = 8192;
  CHECK(books.account.reserve(8192, limited));
  CHECK_FALSE(books.account.reserve(4096, limited));
  CHECK(books.account.reserved_bytes() == 8192);  // the global add was undone
  CHECK(books.account.uid_reserved_bytes(Uid(1001)) == 8192);
  limited.priv_vm_swap_norlimit = true;
  CHECK(books.account.reserve(4096, limited));
}

TEST_CASE("reserve_by_uid charges one uid but checks the calling process's limit") {
  Books books({.overcommit = SWAP_RESERVE_RLIMIT_ON});
  Caller debugger = caller(1002, 9);
  debugger.rlimit_swap_cur = 4096;
  CHECK(books.account.reserve_by_uid(4096, Uid(1001), debugger));
  CHECK(books.account.uid_reserved_bytes(Uid(1001)) == 4096);
  CHECK(books.account.uid_reserved_bytes(Uid(1002)) == 0);
  CHECK_FALSE(books.account.reserve_by_uid(4096, Uid(1001), debugger));
}

TEST_CASE("a refusal prints pid in the uid slot and uid in the pid slot, as 8.3 does") {
  Books books({.swap_total_bytes = 0, .overcommit = SWAP_RESERVE_FORCE_ON});
  CHECK_FALSE(books.account.reserve(8192, caller(1001, 42, 100)));
  REQUIRE(books.console.size() == 1);
  CHECK(books.console[0] == "uid 42, pid 1001: swap reservation for 8192 bytes failed\n");
}

TEST_CASE("refusal messages are limited to one per second of ticks") {
  Books books({.swap_total_bytes = 0, .overcommit = SWAP_RESERVE_FORCE_ON,
               .ticks_per_second = 100});
  CHECK_FALSE(books.account.reserve(4096, caller(1001, 42, 1000)));
  CHECK_FALSE(books.account.reserve(4096, caller(1001, 42, 1050)));
  CHECK_FALSE(books.account.reserve(4096, caller(1001, 42, 1099)));
  CHECK(books.console.size() == 1);
  CHECK_FALSE(books.account.reserve(4096, caller(1001, 42, 1100)));  // a new window
  CHECK(books.console.size() == 2);
}

TEST_CASE("reserve_force always charges and release below zero complains") {
  Books books({.swap_total_bytes = 0, .overcommit = SWAP_RESERVE_FORCE_ON});
  books.account.reserve_force(8192, caller(1001, 3));
  CHECK(books.account.reserved_bytes() == 8192);
  books.account.release_by_uid(8192, Uid(1002));
  REQUIRE(books.console.size() == 1);
  CHECK(books.console[0] == "negative vmsize for uid = 1002\n");
  CHECK(books.account.uid_reserved_bytes(Uid(1002)) == -8192);
  CHECK(books.account.reserved_bytes() == 0);
}
