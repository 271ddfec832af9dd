// Gnuplot: writes the data and the script to a scratch folder, runs gnuplot (posix_spawnp,
// stdout to the SVG file), checks its exit status, and namespaces the SVG's ids.
#include "analyze_plot.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "warcpairs/core/error.h"
#include "warcpairs/core/small_file.h"

extern char** environ;

namespace warcpairs::stages {

namespace {

void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  if (!out.flush()) throw Error("cannot write", p.string());
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

}  // namespace

Gnuplot::Gnuplot(std::string program) : program_(std::move(program)) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "warcpairs-analyze-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw Error(std::string("mkdtemp: ") + std::strerror(errno));
  dir_ = tmpl;
  write_file(dir_ / "probe.gp", "set terminal svg\n");
  if (run(dir_ / "probe.gp", dir_ / "probe.err") != 0)
    throw Error("'" + program_ + "' does not run: analyze draws its plots with gnuplot "
                "(Debian: apt-get install gnuplot-nox)");
}

Gnuplot::~Gnuplot() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

int Gnuplot::run(const std::filesystem::path& script, const std::filesystem::path& errors) {
  const auto out = script.string() + ".svg";
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&fa, 2, errors.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::string script_arg = script.string();
  std::vector<char*> argv = {program_.data(), script_arg.data(), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, program_.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return 127;  // not found or not executable
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return 127;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string Gnuplot::plot(const std::string& script, const std::string& data) {
  const int n = ++count_;
  const auto base = dir_ / ("plot" + std::to_string(n));
  const auto data_path = base.string() + ".dat";
  write_file(data_path, data);
  std::string body = script;
  replace_all(body, "DATAFILE", "'" + data_path + "'");
  const auto script_path = base.string() + ".gp";
  write_file(script_path,
             "set terminal svg noenhanced size 720,360 fixed font 'sans,11' background '#ffffff'\n"
             "set encoding utf8\nset style fill solid 0.8 border -1\nset grid ytics\n" + body);
  const int rc = run(script_path, base.string() + ".err");
  if (rc != 0)
    throw Error("gnuplot failed (exit " + std::to_string(rc) + "): " +
                read_small_file(base.string() + ".err", "cannot read gnuplot's messages"), script_path);
  std::string svg = read_small_file(script_path + ".svg", "gnuplot wrote no SVG");
  const auto start = svg.find("<svg");
  if (start == std::string::npos) throw Error("gnuplot wrote no SVG", script_path);
  svg.erase(0, start);  // drop the XML declaration and DOCTYPE: the SVG goes inline
  // Every plot defines the same ids (gpPt0, gnuplot_canvas, ...): prefix them per plot.
  const std::string p = fmt::format("p{}_", n);
  for (const char* ref : {"id='", "id=\"", "href='#", "href=\"#", "url(#"})
    replace_all(svg, ref, fmt::format("{}{}", ref, p));
  return svg;
}

std::string Gnuplot::label(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (out.size() >= 40) break;
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '-' || c == '_' || c == '/' || c == ':' || c == '+' ||
                       c == '(' || c == ')';
    out += plain ? static_cast<char>(c) : '_';
  }
  return out.empty() ? "_" : out;
}

}  // namespace warcpairs::stages
