#include "sw/model/model_error.h"

namespace npu::model {

std::string ErrorSite::describe(const std::string& what) const {
  std::string where;
  if (!layer.empty()) where += " layer '" + layer + "'";
  if (!field.empty()) where += " field '" + field + "'";
  return where.empty() ? file + ": " + what : file + ":" + where + ": " + what;
}

void ErrorSite::fail(const std::string& what) const { throw ModelError(describe(what)); }

}  // namespace npu::model
