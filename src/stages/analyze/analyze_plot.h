// gnuplot as a subprocess for `analyze`: a script and a data file in, an SVG element out.
#pragma once

#include <filesystem>
#include <string>

namespace warcpairs::stages {

class Gnuplot {
 public:
  // Makes a private scratch folder; throws Error when `program` cannot be run.
  explicit Gnuplot(std::string program);
  ~Gnuplot();
  Gnuplot(const Gnuplot&) = delete;
  Gnuplot& operator=(const Gnuplot&) = delete;

  // Runs `script` (after `set terminal svg`) with `data` in a file the script names as
  // DATAFILE; returns the <svg> element with its ids made unique to this plot (several plots
  // share one HTML page). Throws Error with gnuplot's message when it fails.
  std::string plot(const std::string& script, const std::string& data);
  int plots() const { return count_; }

  // A label gnuplot can print as is in data files and scripts: no quotes, backslashes,
  // spaces or markup characters, at most 40 bytes.
  static std::string label(const std::string& text);

 private:
  int run(const std::filesystem::path& script, const std::filesystem::path& errors);
  std::string program_;
  std::filesystem::path dir_;
  int count_ = 0;
};

}  // namespace warcpairs::stages
