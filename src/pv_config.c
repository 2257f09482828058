/* SPDX-License-Identifier: MIT */
/*
 * The library's half of the link-time configuration check (pv_link_check.h):
 * the one definition of the symbol named after the settings this library
 * was built with (GCC and Clang), and the same name as text. A program
 * compiled with other settings refers to another name and fails to link.
 * Nothing else but pv_config_name(), that text for a program to print.
 */
#include "pv_link_check.h"

#ifndef __FRAMAC__
const char *pv_config_name(void)
{
    return PV__LC_NAME;
}

#if defined(__GNUC__) || defined(__clang__)
const char pv__link_check_sym __asm__(PV__LC_NAME) = 0;
#endif
#endif
