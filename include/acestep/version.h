// Version of ACE-Step Desktop.
#pragma once
#define ACESTEP_VERSION_STRING "0.1.0"
