#ifndef AUTHFLOW_CYAML_SHIM_H
#define AUTHFLOW_CYAML_SHIM_H
#include <yaml.h>
#endif
