// EXPECT that a call throws exception type E whose message contains a given text.
#pragma once

#include <gtest/gtest.h>

#include <string>

#define EXPECT_THROW_WITH(statement, exception, text)                             \
  do {                                                                            \
    try {                                                                         \
      statement;                                                                  \
      ADD_FAILURE() << "expected " #exception " containing \"" << (text) << "\""; \
    } catch (const exception& e) {                                                \
      EXPECT_NE(std::string(e.what()).find(text), std::string::npos)              \
          << "message \"" << e.what() << "\" lacks \"" << (text) << "\"";         \
    }                                                                             \
  } while (0)
