// The deployment's settings, loaded first by every page (a classic script). A city deploys the
// web client by editing only this file: every city-specific word of the pages comes from here.
// The local portal (`make run`) serves a generated copy with the local API's URL and the city's
// name and phone from the template's CityName and StaffPhoneNumber parameters; for a deployment,
// replace this file on the static host with one that points at the API Gateway stage URL (no
// trailing slash needed). A setting left out shows neutral words ("eTRAKIT", "the permit office").
window.PORTAL_CONFIG = {
  apiBaseUrl: "http://127.0.0.1:3000",
  // The city as contractors know it (the template's CityName): "New Contractors to the <cityName>".
  cityName: "City of West Hollywood",
  // Every page's header and title; "<cityName> eTRAKIT" when left out.
  portalName: "City of West Hollywood eTRAKIT",
  // The number contractors call to reach permit staff (the template's StaffPhoneNumber).
  staffPhone: "(323) 848-6475",
  // The division that issues permits: "<department> permits", "the <department> Division".
  department: "Building and Safety",
  // Returning contractors: those issued a permit after this date are already on file.
  permitsAfter: "September 1st, 2014",
};
