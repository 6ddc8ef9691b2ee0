// setup.html: "Setup an Account" (a link to CONTRACTOR REGISTRATION; no API call).
import { initHeader, staffPhoneInit } from "./app.js";

staffPhoneInit();
initHeader();
