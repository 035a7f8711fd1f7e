// SPDX-License-Identifier: MIT
#pragma once

namespace Benchtop::Run::H5 {

/// What one element of an appendable dataset is, in memory and in the file alike (native
/// little-endian on the machines Benchtop runs on).
struct ElementType {
    enum class Base { Float64, Int64, Int32, Int8, FixedString };
    Base base = Base::Float64;
    /// For FixedString: the bytes of one element (UTF-8, null-padded; longer text is cut at a
    /// character boundary).
    int stringBytes = 0;

    static ElementType float64() { return {Base::Float64, 0}; }
    static ElementType int64() { return {Base::Int64, 0}; }
    static ElementType int32() { return {Base::Int32, 0}; }
    static ElementType int8() { return {Base::Int8, 0}; }
    static ElementType fixedString(int bytes) { return {Base::FixedString, bytes}; }
    int bytes() const;
};

} // namespace Benchtop::Run::H5
