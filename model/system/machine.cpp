// The machine a scenario boots; see machine.h.
#include "model/system/machine.h"

#include <algorithm>

#include "model/machine/arch.h"
#include "sim/base/assert.h"

namespace procsim::system {

namespace {

sim::EngineConfig engine_config(const MachineConfig& config) {
  sim::EngineConfig engine;
  engine.seed = config.seed;
  engine.hz = config.hz;
  engine.epoch_seconds = config.epoch_seconds;
  engine.chooser_mode = config.seeded_choices ? sim::ChooserMode::Seeded : sim::ChooserMode::First;
  return engine;
}

kern::KernelConfig kernel_config(const MachineConfig& config) {
  kern::KernelConfig kernel;
  kernel.era = profile_era(config.profile);
  std::optional<machine::Arch> arch = machine::arch_from_name(config.arch);
  PROCSIM_ASSERT_MSG(arch.has_value(), "the machine directive checks the architecture name");
  kernel.arch = *arch;
  kernel.securelevel = config.securelevel;
  kernel.policy.securelevel = config.securelevel;
  kernel.init_sysent = config.arch == "i386" ? "FreeBSD ELF32" : "FreeBSD ELF64";
  // osrel exists from the 2009 era on; older kernels have no ABI note to read it from.
  kernel.init_osrel = config.profile == Profile::FreeBSD8 ? 803000 : 0;
  kernel.check_invariants = true;
  return kernel;
}

}  // namespace

vfs::Era profile_era(Profile profile) {
  switch (profile) {
    case Profile::Bsd44: return vfs::Era::Bsd44;
    case Profile::FreeBSD4: return vfs::Era::FreeBSD4;
    case Profile::FreeBSD8: return vfs::Era::FreeBSD8;
  }
  PROCSIM_UNREACHABLE();
}

const ProfileInfo& profile_info(Profile profile) {
  for (const auto& info : kProfiles) {
    if (info.profile == profile) return info;
  }
  PROCSIM_UNREACHABLE();
}

Machine::Machine(MachineConfig config)
    : m_config(std::move(config)),
      m_engine(engine_config(m_config)),
      m_kernel(std::make_unique<kern::Kernel>(m_engine, kernel_config(m_config))) {
  PROCSIM_ASSERT(m_config.hz > 0);
  m_kernel->boot();
  PROCSIM_ASSERT(m_kernel->booted());
}

vfs::Ucred Machine::credentials_of(const User& user) const {
  std::vector<vfs::Gid> groups;
  groups.emplace_back(user.gid);
  for (std::uint32_t gid : user.groups) groups.emplace_back(gid);
  return vfs::make_ucred(vfs::Uid(user.uid), groups, vfs::group_rules(profile_era(m_config.profile)));
}

std::optional<AccountError> Machine::add_group(Group group) {
  for (const auto& existing : m_groups) {
    if (existing.name == group.name) return AccountError::DuplicateName;
    if (existing.gid == group.gid) return AccountError::DuplicateId;
  }
  m_groups.push_back(std::move(group));
  return std::nullopt;
}

std::optional<AccountError> Machine::add_user(User user) {
  for (const auto& existing : m_users) {
    if (existing.name == user.name) return AccountError::DuplicateName;
    if (existing.uid == user.uid) return AccountError::DuplicateId;
  }
  m_users.push_back(std::move(user));
  return std::nullopt;
}

const Group* Machine::find_group(std::string_view name) const {
  auto it = std::find_if(m_groups.begin(), m_groups.end(), [&](const Group& g) { return g.name == name; });
  return it == m_groups.end() ? nullptr : &*it;
}

const Group* Machine::find_group_by_id(std::uint32_t gid) const {
  auto it = std::find_if(m_groups.begin(), m_groups.end(), [&](const Group& g) { return g.gid == gid; });
  return it == m_groups.end() ? nullptr : &*it;
}

const User* Machine::find_user(std::string_view name) const {
  auto it = std::find_if(m_users.begin(), m_users.end(), [&](const User& u) { return u.name == name; });
  return it == m_users.end() ? nullptr : &*it;
}

const User* Machine::find_user_by_id(std::uint32_t uid) const {
  auto it = std::find_if(m_users.begin(), m_users.end(), [&](const User& u) { return u.uid == uid; });
  return it == m_users.end() ? nullptr : &*it;
}

}  // namespace procsim::system
