// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <stdexcept>

namespace Benchtop::Run::H5 {

/// An HDF5 call failed. The message names the file and the object ("/data/run.h5: /entry/data/x:
/// could not append 20 rows: <HDF5's own error stack, innermost first>"), so that a user can act
/// on it without a terminal full of HDF5's stack dump.
class Error : public std::runtime_error {
public:
    explicit Error(const QString &message);
    QString message() const { return m_message; }

private:
    QString m_message;
};

/// Turns off HDF5's printing of its error stack for the calling thread (the stack is per thread
/// in a thread-safe HDF5); the layer reads the stack into Error messages instead. Every entry
/// point of the layer (File::create, File::open) calls it; cheap.
void silenceErrorPrinting();

/// Throws Error("FILE: OBJECT: WHAT: stack") and clears the calling thread's error stack.
[[noreturn]] void raise(const QString &file, const QString &object, const QString &what);

/// Throws when `status` (an herr_t or hid_t) is negative, as raise() does.
inline void check(std::int64_t status, const QString &file, const QString &object, const char *what)
{
    if (status < 0)
        raise(file, object, QString::fromUtf8(what));
}

} // namespace Benchtop::Run::H5
