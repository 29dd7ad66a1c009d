/*
 * glibc malloc tuning for the processes that move chunk data (see src/common/malloc-tune.ts):
 * tune(mmapThreshold, trimThreshold, topPad) calls mallopt(3) for each and returns true when
 * glibc took all three.
 */
#include <malloc.h>
#include <node_api.h>
#include <stdint.h>

static napi_value tune(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  int64_t v[3] = {0, 0, 0};
  napi_value result;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 3) {
    napi_throw_type_error(env, NULL, "tune(mmapThreshold, trimThreshold, topPad)");
    return NULL;
  }
  for (size_t i = 0; i < 3; i++) {
    if (napi_get_value_int64(env, argv[i], &v[i]) != napi_ok || v[i] < 0 || v[i] > INT32_MAX) {
      napi_throw_range_error(env, NULL, "tune: each value must be an integer in [0, 2^31)");
      return NULL;
    }
  }
  int ok = mallopt(M_MMAP_THRESHOLD, (int)v[0]) == 1;
  ok = mallopt(M_TRIM_THRESHOLD, (int)v[1]) == 1 && ok;
  ok = mallopt(M_TOP_PAD, (int)v[2]) == 1 && ok;
  napi_get_boolean(env, ok, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "tune", NAPI_AUTO_LENGTH, tune, NULL, &fn);
  napi_set_named_property(env, exports, "tune", fn);
  return exports;
}
