// Map entries: insertion and coalescing, free-space search, munmap clipping, mprotect against
// max_protection, inheritance, and the munmap/mprotect/mmap system-call argument checks.
#include "model/vm/vm_map.h"

#include <doctest/doctest.h>

#include "model/vm/vm_mmap.h"
#include "tests/unit/vm/vm_test_support.h"

using namespace procsim::vm;  // NOLINT: test brevity
using procsim::vm::test::kUserMax;
using procsim::vm::test::kUserMin;
using procsim::vm::test::user;
using procsim::vm::test::VmWorld;

namespace {

constexpr Prot kRw = VM_PROT_READ | VM_PROT_WRITE;
constexpr Prot kRx = VM_PROT_READ | VM_PROT_EXECUTE;

}  // namespace

TEST_CASE("inserting into an occupied or out-of-map range fails with the KERN_* reason") {
  VmWorld world;
  auto map = world.new_map();
  auto caller = user(1001, 10);
  CHECK(map->insert(std::nullopt, 0, 0x10000, 0x12000, kRw, VM_PROT_ALL, 0, caller) ==
        KernReturn::KERN_SUCCESS);
  CHECK(map->insert(std::nullopt, 0, 0x11000, 0x13000, kRw, VM_PROT_ALL, 0, caller) ==
        KernReturn::KERN_NO_SPACE);
  CHECK(map->insert(std::nullopt, 0, 0xf000, 0x11000, kRw, VM_PROT_ALL, 0, caller) ==
        KernReturn::KERN_NO_SPACE);
  CHECK(map->insert(std::nullopt, 0, 0, 0x1000, kRw, VM_PROT_ALL, 0, caller) ==
        KernReturn::KERN_INVALID_ADDRESS);
  CHECK(map->entries().size() == 1);
}

TEST_CASE("an adjacent anonymous mapping with the same attributes extends the previous entry") {
  VmWorld world;
  auto map = world.new_map();
  auto caller = user(1001, 10);
  REQUIRE(map->insert(std::nullopt, 0, 0x10000, 0x12000, kRw, VM_PROT_ALL, 0, caller) ==
          KernReturn::KERN_SUCCESS);
  REQUIRE(map->insert(std::nullopt, 0, 0x12000, 0x13000, kRw, VM_PROT_ALL, 0, caller) ==
          KernReturn::KERN_SUCCESS);
  REQUIRE(map->entries().size() == 1);
  CHECK(map->entries()[0].start == 0x10000);
  CHECK(map->entries()[0].end == 0x13000);
  CHECK(map->entries()[0].charge_uid == Uid(1001));
  CHECK(world.charged(1001) == 3 * kPageSize);
  // A different protection is a separate entry.
  REQUIRE(map->insert(std::nullopt, 0, 0x13000, 0x14000, VM_PROT_READ, VM_PROT_ALL, 0, caller) ==
          KernReturn::KERN_SUCCESS);
  CHECK(map->entries().size() == 2);
  map->check_invariants();
}

TEST_CASE("find_space returns the lowest gap that fits") {
  VmWorld world;
  auto map = world.new_map();
  auto caller = user(1001, 10);
  REQUIRE(map->insert(std::nullopt, 0, 0x10000, 0x11000, kRw, VM_PROT_ALL, 0, caller) ==
          KernReturn::KERN_SUCCESS);
  REQUIRE(map->insert(std::nullopt, 0, 0x13000, 0x14000, VM_PROT_READ, VM_PROT_ALL, 0, caller) ==
          KernReturn::KERN_SUCCESS);
  CHECK(map->find_space(0x10000, 0x2000) == VmOffset{0x11000});
  CHECK(map->find_space(0x10000, 0x3000) == VmOffset{0x14000});
  CHECK(map->find_space(0, 0x1000) == VmOffset{kUserMin});
  CHECK_FALSE(map->find_space(kUserMax - 0x1000, 0x2000).has_value());
}

TEST_CASE("munmap of a middle page splits the entry in two over one object") {
  VmWorld world;
  auto map = world.new_map();
  auto caller = user(1001, 10);
  REQUIRE(map->insert(std::nullopt, 0, 0x20000, 0x23000, kRw, VM_PROT_ALL, 0, caller) ==
          KernReturn::KERN_SUCCESS);
  REQUIRE(sys_munmap(*map, 0x21000, 0x1000).ok());
  const auto& entries = map->entries();
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].start == 0x20000);
  CHECK(entries[0].end == 0x21000);
  CHECK(entries[1].start == 0x22000);
  CHECK(entries[1].end == 0x23000);
  REQUIRE(entries[0].object.has_value());
  CHECK(entries[0].object == entries[1].object);  // clipping gave the entry an object first
  CHECK(entries[0].offset == 0);
  CHECK(entries[1].offset == 2 * kPageSize);
  const VmObject& object = world.objects.get(*entries[0].object);
  CHECK(object.ref_count == 2);
  CHECK(object.charge_uid == Uid(1001));  // the entry's charge moved to the object
  CHECK(object.charge_bytes == 3 * kPageSize);  // not the tail: nothing released
  CHECK(world.charged(1001) == 3 * kPageSize);
  map->check_invariants();
}

TEST_CASE("munmap of the tail shrinks a one-mapping object and releases that charge") {
  VmWorld world;
  auto map = world.new_map();
  auto caller = user(1001, 10);
  REQUIRE(map->insert(std::nullopt, 0, 0x20000, 0x23000, kRw, VM_PROT_ALL, 0, caller) ==
          KernReturn::KERN_SUCCESS);
  REQUIRE(sys_munmap(*map, 0x22000, 0x1000).ok());
  REQUIRE(map->entries().size() == 1);
  const VmObject& object = world.objects.get(*map->entries()[0].object);
  CHECK(object.size_pages == 2);
  CHECK(object.charge_bytes == 2 * kPageSize);
  CHECK(world.charged(1001) == 2 * kPageSize);
}

TEST_CASE("munmap rejects empty, wrapping and out-of-map ranges with EINVAL but allows holes") {
  VmWorld world;
  auto map = world.new_map();
  CHECK(sys_munmap(*map, 0x20000, 0).error() == VmErrno::Einval);
  CHECK(sys_munmap(*map, 0x20000, ~std::uint64_t{0} - 0x1000).error() == VmErrno::Einval);
  CHECK(sys_munmap(*map, 0, 0x1000).error() == VmErrno::Einval);
  CHECK(sys_munmap(*map, kUserMax, 0x1000).error() == VmErrno::Einval);
  CHECK(sys_munmap(*map, 0x20000, 0x1000).ok());
}

TEST_CASE("mprotect beyond max_protection is EACCES and leaves the start clipped") {
  VmWorld world;
  auto map = world.new_map();
  auto caller = user(1001, 10);
  REQUIRE(map->insert(std::nullopt, 0, 0x30000, 0x33000, VM_PROT_READ, kRx, 0, caller) ==
          KernReturn::KERN_SUCCESS);
  auto result = sys_mprotect(*map, 0x31000, 0x1000, kRw, caller);
  REQUIRE(result.is_error());
  CHECK(result.error() == VmErrno::Eacces);
  // 8.3 clips before checking, and does not undo it.
  REQUIRE(map->entries().size() == 2);
  CHECK(map->entries()[1].start == 0x31000);
  CHECK(map->entries()[1].protection == VM_PROT_READ);
  CHECK(sys_mprotect(*map, 0x31000, 0x1000, kRx, caller).ok());
  CHECK(map->entries()[1].protection == kRx);
  CHECK(map->entries()[1].end == 0x32000);
  CHECK(world.charged(1001) == 0);  // read-only and read-exec mappings are never charged
}

TEST_CASE("mprotect back to the neighbours' protection merges the entries again") {
  VmWorld world;
  auto map = world.new_map();
  auto caller = user(1001, 10);
  REQUIRE(map->insert(std::nullopt, 0, 0x30000, 0x33000, kRw, VM_PROT_ALL, 0, caller) ==
          KernReturn::KERN_SUCCESS);
  REQUIRE(sys_mprotect(*map, 0x31000, 0x1000, VM_PROT_READ, caller).ok());
  CHECK(map->entries().size() == 3);
  REQUIRE(sys_mprotect(*map, 0x31000, 0x1000, kRw, caller).ok());
  CHECK(map->entries().size() == 1);
  map->check_invariants();
}

TEST_CASE("mmap checks its arguments as 8.3 does") {
  VmWorld world;
  auto map = world.new_map();
  auto caller = user(1001, 10);
  MmapArgs args;
  args.len = 0x2000;
  args.prot = kRw;
  args.flags = kMapAnon | kMapPrivate | kMapFixed;
  args.addr = 0x40001;  // not aligned with the (zero) file offset
  CHECK(sys_mmap(*map, args, caller).error() == VmErrno::Einval);
  args.addr = kUserMax - 0x1000;  // runs off the end of the map
  CHECK(sys_mmap(*map, args, caller).error() == VmErrno::Einval);
  args.addr = 0x40000;
  auto mapped = sys_mmap(*map, args, caller);
  REQUIRE(mapped.ok());
  CHECK(mapped.value() == 0x40000);
  args.flags = kMapAnon | kMapStack;
  args.prot = VM_PROT_READ;  // MAP_STACK needs read and write
  CHECK(sys_mmap(*map, args, caller).error() == VmErrno::Einval);
}

TEST_CASE("mmap without MAP_FIXED goes above the largest possible heap") {
  VmWorld world;
  auto map = world.new_map();
  auto caller = user(1001, 10);
  map->vmspace().taddr = 0x400000;
  map->vmspace().daddr = 0x600000;
  MmapArgs args;
  args.len = 0x1000;
  args.prot = kRw;
  args.flags = kMapAnon | kMapPrivate;
  args.rlimit_data_max = 0x100000;
  auto mapped = sys_mmap(*map, args, caller);
  REQUIRE(mapped.ok());
  CHECK(mapped.value() == 0x700000);
}

TEST_CASE("MAP_SHARED mappings are inherited shared") {
  VmWorld world;
  auto map = world.new_map();
  auto caller = user(1001, 10);
  MmapArgs args;
  args.addr = 0x50000;
  args.len = 0x1000;
  args.prot = kRw;
  args.flags = kMapAnon | kMapShared | kMapFixed;
  REQUIRE(sys_mmap(*map, args, caller).ok());
  CHECK(map->entries()[0].inheritance == Inheritance::VM_INHERIT_SHARE);
}

TEST_CASE("a private file mapping starts copy-on-write and is charged only when writable") {
  VmWorld world;
  auto map = world.new_map();
  auto caller = user(1001, 10);
  ObjectId file = world.file("/data/f", std::string(8192, 'f'));
  MmapArgs args;
  args.addr = 0x60000;
  args.len = 0x2000;
  args.prot = VM_PROT_READ;
  args.flags = kMapPrivate | kMapFixed;
  args.object = file;
  REQUIRE(sys_mmap(*map, args, caller).ok());
  args.addr = 0x70000;
  args.prot = kRw;
  REQUIRE(sys_mmap(*map, args, caller).ok());
  REQUIRE(map->entries().size() == 2);
  CHECK(map->entries()[0].eflags == (MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY));
  CHECK_FALSE(map->entries()[0].charge_uid.has_value());
  CHECK(map->entries()[1].charge_uid == Uid(1001));
  CHECK(world.objects.get(file).ref_count == 2);
  CHECK(world.charged(1001) == 2 * kPageSize);
}

TEST_CASE("break grows and shrinks the data segment") {
  VmWorld world;
  auto map = world.new_map();
  auto caller = user(1001, 10);
  map->vmspace().daddr = 0x600000;
  map->vmspace().dsize_pages = 1;
  REQUIRE(map->insert(std::nullopt, 0, 0x600000, 0x601000, kRw, VM_PROT_ALL, 0, caller) ==
          KernReturn::KERN_SUCCESS);
  REQUIRE(sys_obreak(*map, 0x603800, kRlimInfinity, caller).ok());
  CHECK(map->vmspace().dsize_pages == 4);
  REQUIRE(map->entries().size() == 1);  // the break extends the data entry
  CHECK(map->entries()[0].end == 0x604000);
  CHECK(sys_obreak(*map, 0x700000, 0x10000, caller).error() == VmErrno::Enomem);
  REQUIRE(sys_obreak(*map, 0x602000, 0x10000, caller).ok());
  CHECK(map->vmspace().dsize_pages == 2);
  CHECK(world.charged(1001) == 2 * kPageSize);
}

TEST_CASE("extending an anonymous entry that has an object grows the object and its charge") {
  VmWorld world;
  auto map = world.new_map();
  auto caller = user(1001, 10);
  REQUIRE(map->insert(std::nullopt, 0, 0x10000, 0x12000, kRw, VM_PROT_ALL, 0, caller) ==
          KernReturn::KERN_SUCCESS);
  REQUIRE(procsim::vm::test::write_string(*map, 0x10000, "x", caller));
  REQUIRE(map->insert(std::nullopt, 0, 0x12000, 0x13000, kRw, VM_PROT_ALL, 0, caller) ==
          KernReturn::KERN_SUCCESS);
  REQUIRE(map->entries().size() == 1);
  const VmObject& object = world.objects.get(*map->entries()[0].object);
  CHECK(object.size_pages == 3);
  CHECK(object.charge_bytes == 3 * kPageSize);
  CHECK(world.charged(1001) == 3 * kPageSize);
}

TEST_CASE("KERN_* results become each system call's errno as in 8.3") {
  CHECK(errno_for_mmap(KernReturn::KERN_NO_SPACE) == VmErrno::Enomem);
  CHECK(errno_for_mmap(KernReturn::KERN_INVALID_ADDRESS) == VmErrno::Enomem);
  CHECK(errno_for_mmap(KernReturn::KERN_PROTECTION_FAILURE) == VmErrno::Eacces);
  CHECK(errno_for_mmap(KernReturn::KERN_RESOURCE_SHORTAGE) == VmErrno::Einval);
  CHECK(errno_for_mprotect(KernReturn::KERN_PROTECTION_FAILURE) == VmErrno::Eacces);
  CHECK(errno_for_mprotect(KernReturn::KERN_RESOURCE_SHORTAGE) == VmErrno::Enomem);
  CHECK(errno_for_mprotect(KernReturn::KERN_INVALID_ARGUMENT) == VmErrno::Einval);
  CHECK(errno_for_munmap(KernReturn::KERN_INVALID_ADDRESS) == VmErrno::Einval);
  CHECK(vm_errno_name(VmErrno::Efault) == "EFAULT");
  CHECK(static_cast<int>(VmErrno::Enomem) == 12);
  CHECK(kern_return_name(KernReturn::KERN_RESOURCE_SHORTAGE) == "KERN_RESOURCE_SHORTAGE");
}
