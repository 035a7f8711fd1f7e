// SPDX-License-Identifier: MIT
// The `benchtop` executable as a user starts it: arguments, a window, a clean exit.
#include "testsupport.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QTest>

class TestApp : public QObject {
    Q_OBJECT

private:
    static QProcessEnvironment environment()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        return env;
    }

    struct Result {
        int exitCode;
        QString out;
        QString err;
    };

    static Result run(const QStringList &arguments, const QProcessEnvironment &env = environment())
    {
        QProcess process;
        process.setProcessEnvironment(env);
        process.start(QStringLiteral(BENCHTOP_APP), arguments);
        if (!process.waitForFinished(60'000)) {
            process.kill();
            process.waitForFinished();
            return {-1, {}, QStringLiteral("did not exit")};
        }
        return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2,
            QString::fromLocal8Bit(process.readAllStandardOutput()),
            QString::fromLocal8Bit(process.readAllStandardError())};
    }

private Q_SLOTS:
    void init() { Benchtop::Test::failOnQtWarnings(); }

    void printsItsVersion()
    {
        const Result result = run({QStringLiteral("--version")});
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.out.contains(QStringLiteral("Benchtop")), qPrintable(result.out));
    }

    void refusesAnUnknownOption()
    {
        const Result result = run({QStringLiteral("--no-such-option")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(QStringLiteral("no-such-option")), qPrintable(result.err));
        QVERIFY(result.err.contains(QStringLiteral("Usage:")));
    }

    void refusesAStrayArgument()
    {
        const Result result = run({QStringLiteral("stray")});
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains(QStringLiteral("stray")), qPrintable(result.err));
    }

    void startsAWindowAndQuitsCleanly()
    {
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("BENCHTOP_QUIT_AFTER_MS"), QStringLiteral("300"));
        const Result result = run({}, env);
        QCOMPARE(result.exitCode, 0);
    }
};

QTEST_GUILESS_MAIN(TestApp)
#include "tst_app.moc"
