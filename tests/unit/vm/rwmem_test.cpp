// proc_rwmem(): debugger reads and writes of another process's memory (spec/kernel.md §2.5,
// spec/procfs.md §5.2): breakpoints in read-only text become private copies, transfers stop at
// the first bad page with the count so far, and swap refusals surface as ENOMEM.
#include "model/vm/rwmem.h"

#include <doctest/doctest.h>

#include "tests/unit/vm/vm_test_support.h"

using namespace procsim::vm;  // NOLINT: test brevity
using procsim::vm::test::as_bytes;
using procsim::vm::test::read_string;
using procsim::vm::test::user;
using procsim::vm::test::VmWorld;

namespace {

constexpr Prot kRw = VM_PROT_READ | VM_PROT_WRITE;
constexpr Prot kRx = VM_PROT_READ | VM_PROT_EXECUTE;
constexpr CowFlags kTextCow = MAP_COPY_ON_WRITE | MAP_PREFAULT | MAP_DISABLE_COREDUMP;

// Maps two pages of `file` as program text at 0x400000, as the ELF loader would.
void map_text(VmWorld& world, VmMap& map, ObjectId file, const Caller& caller) {
  world.objects.reference(file);
  REQUIRE(map.insert(file, 0, 0x400000, 0x402000, kRx, VM_PROT_ALL, kTextCow, caller) ==
          KernReturn::KERN_SUCCESS);
}

std::string rwmem_read_string(VmMap& map, VmOffset addr, std::size_t length,
                              const Caller& debugger) {
  std::string text(length, '\0');
  auto result = proc_rwmem_read(
      map, addr, {reinterpret_cast<std::uint8_t*>(text.data()), length}, debugger);
  REQUIRE_FALSE(result.error.has_value());
  return text;
}

}  // namespace

TEST_CASE("a debugger's write into read-only text makes a private copy in that process only") {
  VmWorld world;
  ObjectId file = world.file("/bin/prog", std::string(8192, 'A'));
  auto traced = world.new_map();
  auto other = world.new_map();
  auto traced_caller = user(1001, 10);
  auto other_caller = user(1001, 11);
  auto debugger = user(1002, 20);
  map_text(world, *traced, file, traced_caller);
  map_text(world, *other, file, other_caller);

  RwmemResult written = proc_rwmem_write(*traced, 0x400010, as_bytes("\xcc"), debugger);
  CHECK(written.moved == 1);
  CHECK_FALSE(written.error.has_value());

  CHECK(rwmem_read_string(*traced, 0x40000f, 3, debugger) == "A\xcc" "A");
  CHECK(read_string(*traced, 0x40000f, 3, traced_caller) == "A\xcc" "A");
  CHECK(read_string(*other, 0x40000f, 3, other_caller) == "AAA");
  CHECK(world.objects.lookup_page(file, 0)->bytes[0x10] == 'A');  // the page cache is untouched

  const MapEntry& text = traced->entries()[0];
  CHECK(text.eflags == (MAP_ENTRY_COW | MAP_ENTRY_NOCOREDUMP));  // NEEDS_COPY is gone
  CHECK(text.protection == kRx);
  REQUIRE(text.object != file);
  const VmObject& copy = world.objects.get(*text.object);
  CHECK(copy.backing_object == file);
  CHECK(copy.charge_uid == Uid(1002));  // the debugger pays for the whole entry
  CHECK(copy.charge_bytes == 8192);
  CHECK(world.charged(1002) == 8192);
  CHECK(world.charged(1001) == 0);
  // The process still cannot write its own text.
  CHECK(write_user(*traced, 0x400010, as_bytes("x"), traced_caller).is_error());
  CHECK(other->entries()[0].needs_copy());
}

TEST_CASE("a second breakpoint in the same text page reuses the private copy") {
  VmWorld world;
  ObjectId file = world.file("/bin/prog", std::string(8192, 'A'));
  auto traced = world.new_map();
  auto debugger = user(1002, 20);
  map_text(world, *traced, file, user(1001, 10));
  REQUIRE_FALSE(proc_rwmem_write(*traced, 0x400010, as_bytes("\xcc"), debugger).error);
  std::uint64_t generation = traced->generation();
  REQUIRE_FALSE(proc_rwmem_write(*traced, 0x400020, as_bytes("\xcc"), debugger).error);
  CHECK(traced->generation() > generation);  // writes into code always invalidate
  CHECK(world.charged(1002) == 8192);
  CHECK(world.objects.get(*traced->entries()[0].object).resident_page_count() == 1);
}

TEST_CASE("rwmem of an unmapped address is EFAULT with nothing moved") {
  VmWorld world;
  auto map = world.new_map();
  std::uint8_t buffer[4] = {};
  RwmemResult result = proc_rwmem_read(*map, 0x9000, buffer, user(1002, 20));
  CHECK(result.moved == 0);
  CHECK(result.error == VmErrno::Efault);
}

TEST_CASE("rwmem across the end of a mapping moves the first part, then fails with EFAULT") {
  VmWorld world;
  auto map = world.new_map();
  auto owner = user(1001, 10);
  auto debugger = user(1002, 20);
  REQUIRE(map->insert(std::nullopt, 0, 0x10000, 0x11000, kRw, VM_PROT_ALL, 0, owner) ==
          KernReturn::KERN_SUCCESS);
  RwmemResult wrote = proc_rwmem_write(*map, 0x10ff0, as_bytes("0123456789abcdefXYZ"), debugger);
  CHECK(wrote.moved == 16);
  CHECK(wrote.error == VmErrno::Efault);
  CHECK(read_string(*map, 0x10ff0, 16, owner) == "0123456789abcdef");
  std::uint8_t buffer[32] = {};
  RwmemResult read = proc_rwmem_read(*map, 0x10ff0, buffer, debugger);
  CHECK(read.moved == 16);
  CHECK(read.error == VmErrno::Efault);
}

TEST_CASE("zero-length rwmem moves nothing and succeeds even at a bad address") {
  VmWorld world;
  auto map = world.new_map();
  CHECK_FALSE(proc_rwmem_write(*map, 0x9000, {}, user(1002, 20)).error.has_value());
  CHECK_FALSE(proc_rwmem_read(*map, 0x9000, {}, user(1002, 20)).error.has_value());
}

TEST_CASE("rwmem reads fall through to the backing object without copying") {
  VmWorld world;
  ObjectId file = world.file("/bin/prog", std::string(8192, 'A'));
  auto map = world.new_map();
  map_text(world, *map, file, user(1001, 10));
  CHECK(rwmem_read_string(*map, 0x401000, 2, user(1002, 20)) == "AA");
  CHECK(map->entries()[0].needs_copy());
  CHECK(map->entries()[0].object == file);
  CHECK(map->pmap_resident_pages(0x400000, 0x402000) == 1);  // faulted on the target's behalf
}

TEST_CASE("rwmem writes obey max_protection, not protection") {
  VmWorld world;
  auto map = world.new_map();
  auto owner = user(1001, 10);
  REQUIRE(map->insert(std::nullopt, 0, 0x10000, 0x11000, VM_PROT_NONE, kRx, 0, owner) ==
          KernReturn::KERN_SUCCESS);
  REQUIRE(map->insert(std::nullopt, 0, 0x20000, 0x21000, VM_PROT_NONE, VM_PROT_ALL, 0, owner) ==
          KernReturn::KERN_SUCCESS);
  auto debugger = user(1002, 20);
  CHECK(proc_rwmem_write(*map, 0x10000, as_bytes("x"), debugger).error == VmErrno::Efault);
  CHECK(proc_rwmem_write(*map, 0x20000, as_bytes("x"), debugger).moved == 1);
  CHECK(map->pmap_lookup(0x20000) == nullptr);  // still inaccessible to the process itself
}

TEST_CASE("a breakpoint refused by RLIMIT_SWAP is ENOMEM") {
  VmWorld world({.overcommit = SWAP_RESERVE_RLIMIT_ON});
  ObjectId file = world.file("/bin/prog", std::string(8192, 'A'));
  auto map = world.new_map();
  map_text(world, *map, file, user(1001, 10));
  Caller debugger = user(1002, 20);
  debugger.rlimit_swap_cur = 4096;
  RwmemResult result = proc_rwmem_write(*map, 0x400010, as_bytes("\xcc"), debugger);
  CHECK(result.moved == 0);
  CHECK(result.error == VmErrno::Enomem);
  CHECK(map->entries()[0].needs_copy());
  REQUIRE(world.console.size() == 1);
  CHECK(world.console[0] == "uid 20, pid 1002: swap reservation for 8192 bytes failed\n");
}
