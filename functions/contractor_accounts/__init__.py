"""The contractor accounts domain shared by every Lambda function of the service.

Layers, outside in: ``api`` (HTTP mapping for API Gateway) and ``staff`` (console
actions) call ``accounts`` (the domain operations), which talk to their ports:
``store.ContractorStore`` (DynamoDB), ``mail.Mailer`` (SES), ``clock.Clock``.
"""
