// choose_span_model (span_model_choice.h).
#include "span_model_choice.h"

#include <algorithm>

#include "warcpairs/core/error.h"

namespace warcpairs::stages {

std::string choose_span_model(const std::vector<std::string>& models, const std::string& wanted) {
  if (wanted == "none") return "";
  if (!wanted.empty()) {
    if (std::find(models.begin(), models.end(), wanted) == models.end())
      throw UsageError("no predictions of span model '" + wanted + "' in the database" +
                       (models.empty() ? std::string(" (it has none)") : " (it has " + models[0] + (models.size() > 1 ? ", ..." : "") + ")"));
    return wanted;
  }
  if (models.size() > 1)
    throw UsageError("the database holds predictions of several span models; choose one with "
                     "--span-model (" + models[0] + ", " + models[1] + ", ...) or none");
  return models.empty() ? "" : models[0];
}

}  // namespace warcpairs::stages
