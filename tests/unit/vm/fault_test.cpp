// Faults and user access: zero fill, copy-on-write after fork with real bytes, read faults on
// NEEDS_COPY entries, protection and address errors, the translation cache, stack growth.
#include "model/vm/fault.h"

#include <doctest/doctest.h>

#include "tests/unit/vm/vm_test_support.h"

using namespace procsim::vm;  // NOLINT: test brevity
using procsim::vm::test::read_string;
using procsim::vm::test::user;
using procsim::vm::test::VmWorld;
using procsim::vm::test::write_string;

namespace {

constexpr Prot kRw = VM_PROT_READ | VM_PROT_WRITE;
constexpr Prot kRx = VM_PROT_READ | VM_PROT_EXECUTE;

}  // namespace

TEST_CASE("anonymous memory reads as zeros and keeps what is written") {
  VmWorld world;
  auto map = world.new_map();
  auto caller = user(1001, 10);
  REQUIRE(map->insert(std::nullopt, 0, 0x10000, 0x12000, kRw, VM_PROT_ALL, 0, caller) ==
          KernReturn::KERN_SUCCESS);
  CHECK(read_string(*map, 0x10ffe, 4, caller) == std::string(4, '\0'));
  CHECK(write_string(*map, 0x10ffe, "abcd", caller));  // straddles two pages
  CHECK(read_string(*map, 0x10ffe, 4, caller) == "abcd");
  CHECK(map->pmap_resident_pages(0x10000, 0x12000) == 2);
  const VmObject& object = world.objects.get(*map->entries()[0].object);
  CHECK(object.resident_page_count() == 2);
  CHECK(object.flags == (OBJ_ONEMAPPING | OBJ_COLORED | OBJ_MIGHTBEDIRTY));
}

TEST_CASE("after fork a child's write is invisible to the parent; pages are shared until then") {
  VmWorld world;
  auto parent = world.new_map();
  auto caller = user(1001, 10);
  REQUIRE(parent->insert(std::nullopt, 0, 0x10000, 0x12000, kRw, VM_PROT_ALL, 0, caller) ==
          KernReturn::KERN_SUCCESS);
  REQUIRE(write_string(*parent, 0x10000, "parent", caller));
  REQUIRE(write_string(*parent, 0x11000, "second", caller));
  auto forked = parent->fork(caller);
  REQUIRE(forked.ok());
  VmMap& child = *forked.value();
  auto child_caller = user(1001, 11);

  CHECK(child.entries()[0].eflags == (MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY));
  CHECK(parent->entries()[0].eflags == (MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY));
  CHECK(read_string(child, 0x10000, 6, child_caller) == "parent");
  CHECK(child.pmap_lookup(0x10000)->page == parent->pmap_lookup(0x10000)->page);
  CHECK((parent->pmap_lookup(0x10000)->prot & VM_PROT_WRITE) == 0);  // write-protected at fork

  REQUIRE(write_string(child, 0x10000, "child!", child_caller));
  CHECK(read_string(child, 0x10000, 6, child_caller) == "child!");
  CHECK(read_string(*parent, 0x10000, 6, caller) == "parent");
  CHECK(child.pmap_lookup(0x10000)->page != parent->pmap_lookup(0x10000)->page);
  // The untouched page is still the parent's.
  CHECK(child.pmap_lookup(0x11000)->page == parent->pmap_lookup(0x11000)->page);
  // The child's entry now has a private shadow over the shared object.
  const MapEntry& entry = child.entries()[0];
  CHECK(entry.eflags == MAP_ENTRY_COW);
  const VmObject& shadow = world.objects.get(*entry.object);
  CHECK(shadow.backing_object == parent->entries()[0].object);
  CHECK(shadow.resident_page_count() == 1);

  REQUIRE(write_string(*parent, 0x11000, "PARENT", caller));
  CHECK(read_string(child, 0x11000, 6, child_caller) == "second");
  world.objects.check_invariants();
  parent->check_invariants();
  child.check_invariants();
}

TEST_CASE("a read fault on a NEEDS_COPY entry maps read-only and leaves the copy pending") {
  VmWorld world;
  auto map = world.new_map();
  auto caller = user(1001, 10);
  ObjectId file = world.file("/lib/data", std::string(4096, 'd'));
  world.objects.reference(file);
  REQUIRE(map->insert(file, 0, 0x20000, 0x21000, kRw, VM_PROT_ALL, MAP_COPY_ON_WRITE, caller) ==
          KernReturn::KERN_SUCCESS);
  CHECK(vm_fault(*map, 0x20000, VM_PROT_READ, caller) == KernReturn::KERN_SUCCESS);
  const MapEntry& entry = map->entries()[0];
  CHECK(entry.needs_copy());
  CHECK(entry.object == file);
  CHECK(map->pmap_lookup(0x20000)->prot == VM_PROT_READ);
  CHECK(map->pmap_lookup(0x20000)->page == world.objects.lookup_page(file, 0));
  CHECK(world.objects.get(file).shadow_count() == 0);

  REQUIRE(write_string(*map, 0x20000, "D", caller));
  CHECK_FALSE(map->entries()[0].needs_copy());
  CHECK(map->entries()[0].object != file);
  CHECK(world.objects.lookup_page(file, 0)->bytes[0] == 'd');  // the file's page is untouched
  CHECK(read_string(*map, 0x20000, 2, caller) == "Dd");
}

TEST_CASE("writes to read-only memory fail with KERN_PROTECTION_FAILURE") {
  VmWorld world;
  auto map = world.new_map();
  auto caller = user(1001, 10);
  REQUIRE(map->insert(std::nullopt, 0, 0x10000, 0x11000, VM_PROT_READ, VM_PROT_ALL, 0, caller) ==
          KernReturn::KERN_SUCCESS);
  auto result = write_user(*map, 0x10010, procsim::vm::test::as_bytes("x"), caller);
  REQUIRE(result.is_error());
  CHECK(result.error().addr == 0x10010);
  CHECK(result.error().access == VM_PROT_WRITE);
  CHECK(result.error().result == KernReturn::KERN_PROTECTION_FAILURE);
  std::uint8_t byte = 0xff;
  CHECK(read_user(*map, 0x10010, {&byte, 1}, caller).ok());
  CHECK(byte == 0);
  CHECK(fetch_user(*map, 0x10010, {&byte, 1}, caller).error().result ==
        KernReturn::KERN_PROTECTION_FAILURE);
}

TEST_CASE("an access to an unmapped address fails with KERN_INVALID_ADDRESS") {
  VmWorld world;
  auto map = world.new_map();
  auto caller = user(1001, 10);
  std::uint8_t byte = 0;
  auto result = read_user(*map, 0x5000, {&byte, 1}, caller);
  REQUIRE(result.is_error());
  CHECK(result.error().result == KernReturn::KERN_INVALID_ADDRESS);
  CHECK(result.error().addr == 0x5000);
}

TEST_CASE("a copy that runs into an unmapped page fails there, after copying what it could") {
  VmWorld world;
  auto map = world.new_map();
  auto caller = user(1001, 10);
  REQUIRE(map->insert(std::nullopt, 0, 0x10000, 0x11000, kRw, VM_PROT_ALL, 0, caller) ==
          KernReturn::KERN_SUCCESS);
  auto result = write_user(*map, 0x10ffc, procsim::vm::test::as_bytes("12345678"), caller);
  REQUIRE(result.is_error());
  CHECK(result.error().addr == 0x11000);
  CHECK(read_string(*map, 0x10ffc, 4, caller) == "1234");
}

TEST_CASE("the translation cache is refilled after munmap instead of reading a dead page") {
  VmWorld world;
  auto map = world.new_map();
  auto caller = user(1001, 10);
  REQUIRE(map->insert(std::nullopt, 0, 0x10000, 0x11000, kRw, VM_PROT_ALL, 0, caller) ==
          KernReturn::KERN_SUCCESS);
  REQUIRE(write_string(*map, 0x10000, "x", caller));
  REQUIRE(map->translate_cached(0x10000) != nullptr);
  std::uint64_t generation = map->generation();
  REQUIRE(map->remove(0x10000, 0x11000) == KernReturn::KERN_SUCCESS);
  CHECK(map->translate_cached(0x10000) == nullptr);
  CHECK(map->generation() > generation);
  std::uint8_t byte = 0;
  CHECK(read_user(*map, 0x10000, {&byte, 1}, caller).is_error());
}

TEST_CASE("a fault prefaults resident neighbours read-only, nearest first") {
  VmWorld world;
  auto map = world.new_map();
  auto caller = user(1001, 10);
  ObjectId file = world.file("/bin/t", std::string(8 * 4096, 't'));
  for (std::uint64_t pindex : {1u, 2u, 3u, 6u}) world.objects.allocate_page(file, pindex);
  world.objects.reference(file);
  REQUIRE(map->insert(file, 0, 0x400000, 0x408000, kRx, VM_PROT_ALL, MAP_COPY_ON_WRITE, caller) ==
          KernReturn::KERN_SUCCESS);
  REQUIRE(vm_fault(*map, 0x402000, VM_PROT_READ, caller) == KernReturn::KERN_SUCCESS);
  // Page 1 and 3 are resident neighbours; page 0 is not, so the search stops there.
  CHECK(map->pmap_lookup(0x401000) != nullptr);
  CHECK(map->pmap_lookup(0x403000) != nullptr);
  CHECK(map->pmap_lookup(0x400000) == nullptr);
  CHECK(map->pmap_lookup(0x406000) == nullptr);
  CHECK(map->pmap_resident_pages(0x400000, 0x408000) == 3);
}

TEST_CASE("touching below a stack grows it down by the growth step") {
  VmWorld world;
  auto map = world.new_map();
  auto caller = user(1001, 10);
  constexpr VmOffset kTop = 0x7ffff000000ULL;
  map->vmspace().stack_grow_bytes = 0x20000;
  map->vmspace().maxsaddr = kTop - 0x100000;
  REQUIRE(map->stack(kTop - 0x100000, 0x100000, VM_PROT_ALL, VM_PROT_ALL, MAP_STACK_GROWS_DOWN,
                     caller) == KernReturn::KERN_SUCCESS);
  map->vmspace().ssize_pages = 0x20;
  REQUIRE(map->entries().size() == 1);
  CHECK(map->entries()[0].start == kTop - 0x20000);
  CHECK(map->entries()[0].avail_ssize == 0xe0000);
  CHECK(map->entries()[0].eflags == MAP_ENTRY_GROWS_DOWN);

  REQUIRE(write_string(*map, kTop - 0x20010, "deep", caller));
  REQUIRE(map->entries().size() == 2);
  CHECK(map->entries()[0].start == kTop - 0x40000);
  CHECK(map->entries()[0].eflags == MAP_ENTRY_GROWS_DOWN);
  CHECK(map->entries()[0].avail_ssize == 0xc0000);
  CHECK(map->entries()[1].eflags == 0);
  CHECK(map->vmspace().ssize_pages == 0x40);
  CHECK(world.charged(1001) == 0x40000);

  Caller limited = caller;
  limited.rlimit_stack_cur = 0x40000;
  auto result = write_user(*map, kTop - 0x40010, procsim::vm::test::as_bytes("x"), limited);
  REQUIRE(result.is_error());
  CHECK(result.error().result == KernReturn::KERN_FAILURE);
}

TEST_CASE("VM_INHERIT_SHARE entries stay shared after fork; VM_INHERIT_NONE ones are dropped") {
  VmWorld world;
  auto parent = world.new_map();
  auto caller = user(1001, 10);
  REQUIRE(parent->insert(std::nullopt, 0, 0x10000, 0x11000, kRw, VM_PROT_ALL, 0, caller) ==
          KernReturn::KERN_SUCCESS);
  REQUIRE(parent->insert(std::nullopt, 0, 0x20000, 0x21000, VM_PROT_READ, VM_PROT_ALL, 0,
                         caller) == KernReturn::KERN_SUCCESS);
  REQUIRE(parent->inherit(0x10000, 0x11000, Inheritance::VM_INHERIT_SHARE) ==
          KernReturn::KERN_SUCCESS);
  REQUIRE(parent->inherit(0x20000, 0x21000, Inheritance::VM_INHERIT_NONE) ==
          KernReturn::KERN_SUCCESS);
  auto forked = parent->fork(caller);
  REQUIRE(forked.ok());
  VmMap& child = *forked.value();
  REQUIRE(child.entries().size() == 1);
  CHECK(child.entries()[0].object == parent->entries()[0].object);  // created for sharing
  CHECK_FALSE(child.entries()[0].needs_copy());
  CHECK(world.objects.get(*child.entries()[0].object).charge_uid == Uid(1001));
  CHECK(world.charged(1001) == 4096);  // shared memory is charged once, to the object
  REQUIRE(write_string(child, 0x10000, "shared", user(1001, 11)));
  CHECK(read_string(*parent, 0x10000, 6, caller) == "shared");
}

TEST_CASE("sharing an entry with a pending copy resolves the copy first") {
  VmWorld world;
  auto parent = world.new_map();
  auto caller = user(1001, 10);
  ObjectId file = world.file("/data/f", std::string(4096, 'f'));
  world.objects.reference(file);
  REQUIRE(parent->insert(file, 0, 0x10000, 0x11000, kRw, VM_PROT_ALL, MAP_COPY_ON_WRITE,
                         caller) == KernReturn::KERN_SUCCESS);
  REQUIRE(parent->inherit(0x10000, 0x11000, Inheritance::VM_INHERIT_SHARE) ==
          KernReturn::KERN_SUCCESS);
  auto forked = parent->fork(caller);
  REQUIRE(forked.ok());
  VmMap& child = *forked.value();
  ObjectId shared = *parent->entries()[0].object;
  CHECK(shared != file);
  CHECK(child.entries()[0].object == shared);
  CHECK(world.objects.get(shared).backing_object == file);
  CHECK(world.objects.get(shared).ref_count == 2);
  REQUIRE(write_string(*parent, 0x10000, "P", caller));
  CHECK(read_string(child, 0x10000, 2, user(1001, 11)) == "Pf");
  CHECK(world.objects.lookup_page(file, 0)->bytes[0] == 'f');
}
