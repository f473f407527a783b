/* Placeholder so the library exists before its first real source; delete when one lands. */
typedef int qmiusb_qmi_placeholder;
