// `procsim shell` driven as a person drives it: the real binary under a pseudo-terminal, so that
// libedit edits the lines, the terminal's ^C reaches procsim as SIGINT and ^D ends the input.
#include <doctest/doctest.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace {

// How long a step may wait for the screen to show what it expects (milliseconds of host time;
// an ASan build under load is slow).
constexpr int kWaitMillis = 20'000;

class PtySession {
 public:
  explicit PtySession(const char* profile) {
    m_pid = forkpty(&m_fd, nullptr, nullptr, nullptr);
    REQUIRE(m_pid >= 0);
    if (m_pid == 0) {
      setenv("TERM", "dumb", 1);
      execl(PROCSIM_BINARY, "procsim", "shell", profile, static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~PtySession() {
    if (m_pid > 0 && !m_reaped) {
      kill(m_pid, SIGKILL);
      waitpid(m_pid, nullptr, 0);
    }
    if (m_fd >= 0) close(m_fd);
  }
  PtySession(const PtySession&) = delete;
  PtySession& operator=(const PtySession&) = delete;

  void type(std::string_view keys) {
    REQUIRE(write(m_fd, keys.data(), keys.size()) == static_cast<ssize_t>(keys.size()));
  }

  // Reads the screen until `text` appears after everything read so far was consumed; the text
  // up to and including it is consumed. False on timeout or end of output.
  bool expect(std::string_view text) {
    for (;;) {
      std::size_t at = m_screen.find(text);
      if (at != std::string::npos) {
        m_screen.erase(0, at + text.size());
        return true;
      }
      pollfd ready{m_fd, POLLIN, 0};
      if (poll(&ready, 1, kWaitMillis) <= 0) return false;
      char buffer[4096];
      ssize_t got = read(m_fd, buffer, sizeof buffer);
      if (got <= 0) return false;
      m_screen.append(buffer, static_cast<std::size_t>(got));
    }
  }

  // The child's wait status once it has exited; nullopt if it is still running after the wait
  // limit (the destructor then kills it).
  std::optional<int> exit_status(int wait_millis = kWaitMillis) {
    for (int waited = 0; waited < wait_millis; waited += 10) {
      int status = 0;
      if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
        m_reaped = true;
        return status;
      }
      usleep(10'000);
    }
    return std::nullopt;
  }

  std::string_view unread() const { return m_screen; }

 private:
  pid_t m_pid = -1;
  int m_fd = -1;
  bool m_reaped = false;
  std::string m_screen;
};

}  // namespace

TEST_CASE("procsim shell under a terminal: prompt, commands, help, directives, ^C and ^D") {
  PtySession shell("profile=freebsd8");
  REQUIRE(shell.expect("Type 'help' for help"));
  REQUIRE(shell.expect("% "));

  shell.type("echo \"hello\" \"from\" \"the\" \"pty\"\r");
  CHECK(shell.expect("hello from the pty\r\n"));
  REQUIRE(shell.expect("% "));

  // The login shell is root's, on the console: cat of its own status says so.
  shell.type("cat /proc/curproc/status\r");
  CHECK(shell.expect("cat "));
  CHECK(shell.expect(" console ctty "));
  REQUIRE(shell.expect("% "));

  shell.type("help\r");
  CHECK(shell.expect(":spawn"));
  REQUIRE(shell.expect("% "));

  shell.type(":spawn script\r");
  CHECK(shell.expect("pid "));
  REQUIRE(shell.expect("% "));

  // ^C at the prompt does not end procsim; the next line still runs. (The quotes keep the
  // terminal's echo of the typed line from matching the output.)
  usleep(300'000);
  shell.type("\x03");
  shell.type("echo \"after\" \"the\" \"interrupt\"\r");
  CHECK(shell.expect("after the interrupt\r\n"));
  REQUIRE(shell.expect("% "));

  // History: the up arrow brings the last line back.
  shell.type("\x1b[A\r");
  CHECK(shell.expect("after the interrupt\r\n"));
  REQUIRE(shell.expect("% "));

  // A control character typed before libedit has put the terminal back into raw mode is read
  // by the canonical line discipline instead (a ^D there is not a byte): wait for the editor.
  usleep(300'000);
  shell.type("\x04");
  std::optional<int> status = shell.exit_status(5'000);
  if (!status) {
    // Under heavy load the editor may still not have been ready: a second ^D must end it.
    shell.type("\x04");
    status = shell.exit_status();
  }
  CAPTURE(shell.unread());
  REQUIRE(status.has_value());
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 0);
}
