/* arch_inspect_hart for the model: any hart's CSR file can be looked at between steps. */
#include "arch.h"
#include "model.h"
#include "model_test.h"

bool arch_inspect_hart(unsigned hart)
{
	if (hart >= model_nr_harts())
		return false;
	model_set_current_hart(hart);
	return true;
}
