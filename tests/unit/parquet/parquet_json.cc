// parquet_json: `parquet_json dump FILE` prints each row as a JSON object (nested columns by
// dotted path, binary values as {"hex": "..."}), `parquet_json write SPEC OUT`
// writes a Parquet file from SPEC (JSON: {"columns": [{"name", "type", "optional", "group"}],
// "rows": [[...], ...], "row_group_rows": N}). For the cross-checks with hyparquet
// (tests/e2e/parquet_peers_test.sh); errors exit 1 with the reader's message.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "warcpairs/core/error.h"
#include "warcpairs/parquet/reader.h"
#include "warcpairs/parquet/writer.h"

using nlohmann::json;
namespace pq = warcpairs::parquet;

namespace {

std::string hex(const std::string& s) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) out += d[c >> 4], out += d[c & 15];
  return out;
}
std::string unhex(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i + 1 < s.size(); i += 2) out += static_cast<char>(std::stoi(s.substr(i, 2), nullptr, 16));
  return out;
}

int dump(const char* path) {
  pq::Reader rd(path);
  const auto& cols = rd.columns();
  for (std::size_t g = 0; g < rd.row_groups(); ++g) {
    std::vector<pq::ColumnValues> v;
    for (std::size_t k = 0; k < cols.size(); ++k) v.push_back(rd.read(g, k));
    for (std::size_t i = 0; i < static_cast<std::size_t>(rd.row_group_rows(g)); ++i) {
      json row = json::object();
      for (std::size_t k = 0; k < cols.size(); ++k) {
        json& x = row[cols[k].path];
        if (!v[k].valid[i]) x = nullptr;
        else if (v[k].kind == pq::ColumnValues::Kind::integer) x = cols[k].physical == 0 ? json(v[k].ints[i] != 0) : json(v[k].ints[i]);
        else if (v[k].kind == pq::ColumnValues::Kind::floating) x = v[k].doubles[i];
        else if (cols[k].text) x = v[k].bytes[i];
        else x = json{{"hex", hex(v[k].bytes[i])}};
      }
      std::cout << row.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
    }
  }
  return 0;
}

int write(const char* spec_path, const char* out) {
  std::ifstream in(spec_path);
  const json spec = json::parse(in);
  std::vector<pq::ColumnSpec> cols;
  for (const auto& c : spec["columns"]) {
    const std::string t = c["type"];
    pq::ColumnSpec s{c["name"], t == "int64" ? pq::ColumnType::int64 : t == "double" ? pq::ColumnType::float64
                                : t == "bool" ? pq::ColumnType::boolean : t == "binary" ? pq::ColumnType::binary
                                : pq::ColumnType::string,
                     c.value("optional", true), c.value("group", "")};
    cols.push_back(s);
  }
  pq::WriterOptions o;
  o.row_group_rows = spec.value("row_group_rows", 100000);
  o.page_bytes = spec.value("page_bytes", 1 << 20);
  pq::Writer w(out, cols, o);
  for (const auto& r : spec["rows"]) {
    for (std::size_t k = 0; k < cols.size(); ++k) {
      const json& x = r.at(k);
      if (x.is_null()) continue;
      switch (cols[k].type) {
        case pq::ColumnType::int64: w.set_int64(k, x.get<int64_t>()); break;
        case pq::ColumnType::float64: w.set_double(k, x.get<double>()); break;
        case pq::ColumnType::boolean: w.set_bool(k, x.get<bool>()); break;
        case pq::ColumnType::binary: w.set_bytes(k, unhex(x["hex"].get<std::string>())); break;
        default: w.set_bytes(k, x.get<std::string>());
      }
    }
    w.end_row();
  }
  w.close();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc == 3 && std::string(argv[1]) == "dump") return dump(argv[2]);
    if (argc == 4 && std::string(argv[1]) == "write") return write(argv[2], argv[3]);
    std::cerr << "usage: parquet_json dump FILE | parquet_json write SPEC.json OUT.parquet\n";
    return 2;
  } catch (const warcpairs::Error& e) {
    std::cerr << "parquet_json: " << e.what() << "\n";  // what() names the file
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "parquet_json: " << e.what() << "\n";
    return 1;
  }
}
