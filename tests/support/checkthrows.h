// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QTest>

#include <exception>

namespace Benchtop::Test {

/// The longest message a parser or checker may throw for any input: a 100 kB input is quoted
/// shortened.
constexpr qsizetype kLongestMessage = 300;

} // namespace Benchtop::Test

/// `expression` must throw `Exception` whose what() contains `substring`, on one line and
/// shorter than kLongestMessage; no throw, or any other exception, fails the test.
#define CHECK_THROWS(Exception, expression, substring)                                             \
    do {                                                                                           \
        bool thrown_ = false;                                                                      \
        try {                                                                                      \
            (void)(expression);                                                                    \
        } catch (const Exception &e_) {                                                            \
            thrown_ = true;                                                                        \
            const QString message_ = QString::fromUtf8(e_.what());                                 \
            QVERIFY2(message_.contains(substring),                                                 \
                qPrintable(QStringLiteral("message: %1").arg(message_)));                          \
            QVERIFY2(!message_.contains(u'\n') && !message_.contains(u'\r'),                       \
                qPrintable(QStringLiteral("not one line: %1").arg(message_)));                     \
            QVERIFY2(message_.size() < Benchtop::Test::kLongestMessage,                            \
                qPrintable(QStringLiteral("too long: %1").arg(message_.size())));                  \
        } catch (const std::exception &e_) {                                                       \
            QFAIL(qPrintable(QStringLiteral("wrong exception: %1").arg(e_.what())));               \
        } catch (...) {                                                                            \
            QFAIL("unknown exception");                                                            \
        }                                                                                          \
        QVERIFY2(thrown_, "did not throw");                                                        \
    } while (false)
