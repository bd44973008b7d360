// ClassObject: method signatures (GetMethod, PutMethod, DeleteMethod, the
// method enumeration, method qualifiers and origins). Signatures only: the
// in/out parameters are `__PARAMETERS` class objects whose properties carry
// an ID qualifier; nothing is executed.
#include <algorithm>
#include <new>
#include <set>

#include "embedded/class_object_impl.h"
#include "embedded/names.h"
#include "embedded/qualifier_set.h"

namespace wmiput::embedded {

namespace {

const OLECHAR kParameters[] = OLESTR("__PARAMETERS");
const OLECHAR kReturnValue[] = OLESTR("ReturnValue");

// Thread: any.
HRESULT MapException() noexcept {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

// The signature data of a `__PARAMETERS` object (null for none).
// Thread: any.
HRESULT SignatureOf(IWbemClassObject* obj, ClassPtr* out) {
  out->reset();
  if (!obj) return S_OK;
  ClassObject* impl = ImplOf(obj);
  if (!impl || !impl->IsClass()) return WBEM_E_INVALID_PARAMETER;
  auto sig = std::make_shared<ClassData>(impl->Class());
  sig->name = kParameters;
  sig->superclass.clear();
  sig->derivation.clear();
  sig->location = Location();
  sig->methods.clear();
  for (Property& p : sig->properties) {
    p.origin = kParameters;
    p.propagated = false;
  }
  *out = std::move(sig);
  return S_OK;
}

// WMI's parameter rules: every parameter but ReturnValue has an integer ID
// qualifier, ReturnValue has none, and the IDs of the distinct parameters
// are 0..n-1.
// Thread: any.
HRESULT CheckParameterIds(const ClassPtr& in, const ClassPtr& out) {
  std::vector<std::pair<OleString, long>> ids;
  auto scan = [&](const ClassPtr& sig, bool isOut) -> HRESULT {
    if (!sig) return S_OK;
    for (const Property& p : sig->properties) {
      const Qualifier* q = FindQualifier(p.qualifiers, OLESTR("ID"));
      if (isOut && EqualsNoCase(p.name, kReturnValue)) {
        if (q) return WBEM_E_PARAMETER_ID_ON_RETVAL;
        continue;
      }
      if (!q || q->value.vt() != VT_I4) return WBEM_E_MISSING_PARAMETER_ID;
      const long id = q->value.get()->lVal;
      OleString folded = FoldCase(p.name);
      bool seen = false;
      for (const auto& e : ids) {
        if (e.first == folded) {
          if (e.second != id) return WBEM_E_NONCONSECUTIVE_PARAMETER_IDS;
          seen = true;
        }
      }
      if (!seen) ids.emplace_back(std::move(folded), id);
    }
    return S_OK;
  };
  HRESULT hr = scan(in, false);
  if (SUCCEEDED(hr)) hr = scan(out, true);
  if (FAILED(hr)) return hr;
  std::set<long> distinct;
  for (const auto& e : ids) distinct.insert(e.second);
  if (distinct.size() != ids.size()) return WBEM_E_NONCONSECUTIVE_PARAMETER_IDS;
  long expected = 0;
  for (long id : distinct)
    if (id != expected++) return WBEM_E_NONCONSECUTIVE_PARAMETER_IDS;
  return S_OK;
}

// Thread: any.
HRESULT SignatureObject(const ClassPtr& sig, IWbemClassObject** out) {
  if (!out) return S_OK;
  *out = sig ? NewClassObject(sig).detach() : nullptr;
  return S_OK;
}

}  // namespace

// Thread: any (one thread at a time per object).
HRESULT ClassObject::GetMethod(LPCWSTR wszName, long lFlags, IWbemClassObject** ppInSignature,
                               IWbemClassObject** ppOutSignature) noexcept {
  try {
    if (!wszName || lFlags != 0) return WBEM_E_INVALID_PARAMETER;
    if (!isClass_) return WBEM_E_ILLEGAL_OPERATION;
    const Method* m = cls_->FindMethod(wszName);
    if (!m) return WBEM_E_NOT_FOUND;
    ClassPtr in = m->inParams, out = m->outParams;
    if (ppInSignature) *ppInSignature = nullptr;
    if (ppOutSignature) *ppOutSignature = nullptr;
    SignatureObject(in, ppInSignature);
    SignatureObject(out, ppOutSignature);
    return S_OK;
  } catch (...) {
    return MapException();
  }
}

// Thread: any (one thread at a time per object).
HRESULT ClassObject::PutMethod(LPCWSTR wszName, long lFlags, IWbemClassObject* pInSignature,
                               IWbemClassObject* pOutSignature) noexcept {
  try {
    if (!wszName || lFlags != 0) return WBEM_E_INVALID_PARAMETER;
    if (!isClass_) return WBEM_E_ILLEGAL_OPERATION;
    OleStringView name(wszName);
    if (!IsValidIdentifier(name)) return WBEM_E_INVALID_PARAMETER;
    ClassPtr in, out;
    HRESULT hr = SignatureOf(pInSignature, &in);
    if (SUCCEEDED(hr)) hr = SignatureOf(pOutSignature, &out);
    if (FAILED(hr)) return hr;
    hr = CheckParameterIds(in, out);
    if (FAILED(hr)) return hr;
    Method candidate;
    candidate.name = OleString(name);
    candidate.inParams = in;
    candidate.outParams = out;
    if (const Method* existing = cls_->FindMethod(name)) {
      if (IsInheritedOrigin(*cls_, existing->origin) && !SameSignature(*existing, candidate))
        return WBEM_E_PROPAGATED_METHOD;
      ClassData& c = MutableClass();
      for (Method& m : c.methods) {
        if (!EqualsNoCase(m.name, name)) continue;
        m.inParams = std::move(in);
        m.outParams = std::move(out);
        m.propagated = false;
      }
      return S_OK;
    }
    ClassData& c = MutableClass();
    candidate.origin = c.name;
    c.methods.push_back(std::move(candidate));
    return S_OK;
  } catch (...) {
    return MapException();
  }
}

// Thread: any (one thread at a time per object).
HRESULT ClassObject::DeleteMethod(LPCWSTR wszName) noexcept {
  try {
    if (!wszName) return WBEM_E_INVALID_PARAMETER;
    if (!isClass_) return WBEM_E_ILLEGAL_OPERATION;
    OleStringView name(wszName);
    const Method* m = cls_->FindMethod(name);
    if (!m) return WBEM_E_NOT_FOUND;
    if (IsInheritedOrigin(*cls_, m->origin)) return WBEM_E_PROPAGATED_METHOD;
    ClassData& c = MutableClass();
    c.methods.erase(std::remove_if(c.methods.begin(), c.methods.end(),
                                   [&](const Method& x) { return EqualsNoCase(x.name, name); }),
                    c.methods.end());
    return S_OK;
  } catch (...) {
    return MapException();
  }
}

// Thread: any (one thread at a time per object).
HRESULT ClassObject::BeginMethodEnumeration(long lEnumFlags) noexcept {
  try {
    if (lEnumFlags != 0 && lEnumFlags != WBEM_FLAG_LOCAL_ONLY &&
        lEnumFlags != WBEM_FLAG_PROPAGATED_ONLY)
      return WBEM_E_INVALID_PARAMETER;
    if (!isClass_) return WBEM_E_ILLEGAL_OPERATION;
    std::vector<OleString> names;
    for (const Method& m : cls_->methods) {
      if (lEnumFlags == WBEM_FLAG_LOCAL_ONLY && m.propagated) continue;
      if (lEnumFlags == WBEM_FLAG_PROPAGATED_ONLY && !m.propagated) continue;
      names.push_back(m.name);
    }
    methodEnumNames_ = std::move(names);
    methodEnumPos_ = 0;
    methodEnumActive_ = true;
    return S_OK;
  } catch (...) {
    return MapException();
  }
}

// Thread: any (one thread at a time per object).
HRESULT ClassObject::NextMethod(long lFlags, BSTR* pstrName, IWbemClassObject** ppInSignature,
                                IWbemClassObject** ppOutSignature) noexcept {
  try {
    if (lFlags != 0) return WBEM_E_INVALID_PARAMETER;
    if (!isClass_) return WBEM_E_ILLEGAL_OPERATION;
    if (!methodEnumActive_) return WBEM_E_UNEXPECTED;
    while (methodEnumPos_ < methodEnumNames_.size()) {
      const OleString& name = methodEnumNames_[methodEnumPos_++];
      const Method* m = cls_->FindMethod(name);
      if (!m) continue;  // deleted since BeginMethodEnumeration
      if (pstrName) *pstrName = com::Bstr(m->name).detach();
      if (ppInSignature) *ppInSignature = nullptr;
      if (ppOutSignature) *ppOutSignature = nullptr;
      SignatureObject(m->inParams, ppInSignature);
      SignatureObject(m->outParams, ppOutSignature);
      return S_OK;
    }
    return WBEM_S_NO_MORE_DATA;
  } catch (...) {
    return MapException();
  }
}

// Thread: any (one thread at a time per object).
HRESULT ClassObject::EndMethodEnumeration() noexcept {
  methodEnumActive_ = false;
  methodEnumNames_.clear();
  methodEnumPos_ = 0;
  return S_OK;
}

// Thread: any (one thread at a time per object).
HRESULT ClassObject::GetMethodQualifierSet(LPCWSTR wszMethod,
                                           IWbemQualifierSet** ppQualSet) noexcept {
  if (!wszMethod) return WBEM_E_INVALID_PARAMETER;
  return NewQualifierSet(this, QualifierScope::kMethod, OleStringView(wszMethod), ppQualSet);
}

// Thread: any (one thread at a time per object).
HRESULT ClassObject::GetMethodOrigin(LPCWSTR wszMethodName, BSTR* pstrClassName) noexcept {
  try {
    if (!wszMethodName || !pstrClassName) return WBEM_E_INVALID_PARAMETER;
    if (!isClass_) return WBEM_E_ILLEGAL_OPERATION;
    const Method* m = cls_->FindMethod(wszMethodName);
    if (!m) return WBEM_E_NOT_FOUND;
    *pstrClassName = com::Bstr(m->origin.empty() ? cls_->name : m->origin).detach();
    return S_OK;
  } catch (...) {
    return MapException();
  }
}

}  // namespace wmiput::embedded
