/* SPDX-License-Identifier: MIT */
/* provalloc: everything in one include. */
#ifndef PROVALLOC_H
#define PROVALLOC_H
#include "pv_core.h"
#include "pv_source.h"
#include "pv_region.h"
#include "pv_stack.h"
#include "pv_fifo.h"
#endif
